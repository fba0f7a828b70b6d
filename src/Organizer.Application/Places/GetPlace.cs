using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common.Models;
using Organizer.Application.Access;
using Organizer.Application.Common;
using Organizer.Application.Common.Security;
using Organizer.Application.Common.Exceptions;

namespace Organizer.Application.Places;

/// <summary>A place, if the viewer may see it (see <see cref="EventVisibility"/>); otherwise a 404, as if it did not exist.</summary>
public sealed record GetPlaceQuery(string Slug, Actor? Viewer = null) : IQuery<PlaceDto>;

public sealed class GetPlaceQueryHandler(IOrganizerDbContext db) : IQueryHandler<GetPlaceQuery, PlaceDto>
{
    public async ValueTask<PlaceDto> Handle(GetPlaceQuery query, CancellationToken cancellationToken) =>
        await PlaceDetails.ReadAsync(db, query.Slug, query.Viewer, cancellationToken);
}

/// <summary>A place as GET answers it, and as POST answers with once it is recorded.</summary>
internal static class PlaceDetails
{
    public static async Task<PlaceDto> ReadAsync(IOrganizerDbContext db, string requestedSlug, Actor? viewer, CancellationToken cancellationToken)
    {
        if (!Slugs.IsWellFormed(requestedSlug))
        {
            throw new NotFoundException("place", requestedSlug);
        }

        var slug = requestedSlug.ToLowerInvariant();
        var p = await EventVisibility.PlacesVisibleTo(db, viewer).AsNoTracking().FirstOrDefaultAsync(p => p.Slug == slug, cancellationToken)
            ?? throw new NotFoundException("place", requestedSlug);
        var sources = await db.LoadExpanderAsync(p.Citations, cancellationToken);
        return p.ToDto(sources);
    }
}
