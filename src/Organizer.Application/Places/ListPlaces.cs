using Organizer.Application.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common.Models;
using Organizer.Application.Access;

namespace Organizer.Application.Places;

public sealed record ListPlacesQuery : IQuery<IReadOnlyList<PlaceDto>>, IReadsReplica;

public sealed class ListPlacesQueryHandler(IOrganizerDbContext db) : IQueryHandler<ListPlacesQuery, IReadOnlyList<PlaceDto>>
{
    public async ValueTask<IReadOnlyList<PlaceDto>> Handle(ListPlacesQuery query, CancellationToken cancellationToken)
    {
        var places = await EventVisibility.PublicPlaces(db).AsNoTracking().OrderBy(p => p.Name).ThenBy(p => p.Slug).ToListAsync(cancellationToken);
        var sources = await db.LoadExpanderAsync(places.SelectMany(p => p.Citations), cancellationToken);
        return places.Select(p => p.ToDto(sources))
            .ToList();
    }
}
