using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Models;
using Organizer.Application.Events;

namespace Organizer.Application.Places;

public sealed record GetPlaceQuery(string Slug) : IQuery<PlaceDto>;

public sealed class GetPlaceQueryHandler(IOrganizerDbContext db) : IQueryHandler<GetPlaceQuery, PlaceDto>
{
    public async ValueTask<PlaceDto> Handle(GetPlaceQuery query, CancellationToken cancellationToken)
    {
        if (!Slugs.IsWellFormed(query.Slug))
        {
            throw new NotFoundException("place", query.Slug);
        }

        var slug = query.Slug.ToLowerInvariant();
        var p = await db.Places.AsNoTracking().FirstOrDefaultAsync(p => p.Slug == slug, cancellationToken)
            ?? throw new NotFoundException("place", query.Slug);
        var sources = await db.LoadExpanderAsync(cancellationToken);
        return p.ToDto(sources);
    }
}
