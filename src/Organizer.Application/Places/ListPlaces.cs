using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Models;
using Organizer.Application.Events;

namespace Organizer.Application.Places;

public sealed record ListPlacesQuery : IQuery<IReadOnlyList<PlaceDto>>;

public sealed class ListPlacesQueryHandler(IOrganizerDbContext db) : IQueryHandler<ListPlacesQuery, IReadOnlyList<PlaceDto>>
{
    public async ValueTask<IReadOnlyList<PlaceDto>> Handle(ListPlacesQuery query, CancellationToken cancellationToken)
    {
        var places = await db.Places.AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken);
        var sources = await db.LoadExpanderAsync(cancellationToken);
        return places.Select(p => p.ToDto(sources))
            .ToList();
    }
}
