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
    public async ValueTask<PlaceDto> Handle(GetPlaceQuery query, CancellationToken cancellationToken)
    {
        if (!Slugs.IsWellFormed(query.Slug))
        {
            throw new NotFoundException("place", query.Slug);
        }

        var slug = query.Slug.ToLowerInvariant();
        var p = await EventVisibility.PlacesVisibleTo(db, query.Viewer).AsNoTracking().FirstOrDefaultAsync(p => p.Slug == slug, cancellationToken)
            ?? throw new NotFoundException("place", query.Slug);
        var sources = await db.LoadExpanderAsync(p.Citations, cancellationToken);
        return p.ToDto(sources);
    }
}
