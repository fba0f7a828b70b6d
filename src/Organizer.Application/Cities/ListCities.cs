using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Access;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Links;

namespace Organizer.Application.Cities;

/// <summary>A city as the places recorded in it name it, with its public events and its feed.</summary>
public sealed record CityDto(string Name, string Slug, string? Region, string? CountryCode, int EventCount, FeedLinksDto Feed);

public sealed record ListCitiesQuery : IQuery<IReadOnlyList<CityDto>>, IReadsReplica;

/// <summary>A city by its slug ("montreal") or name in any case.</summary>
public sealed record GetCityQuery(string City) : IQuery<CityDto>;

public sealed class ListCitiesQueryHandler(IOrganizerDbContext db, ILinks links) : IQueryHandler<ListCitiesQuery, IReadOnlyList<CityDto>>
{
    public async ValueTask<IReadOnlyList<CityDto>> Handle(ListCitiesQuery query, CancellationToken cancellationToken) =>
        await CityRows.LoadAsync(db, links, cancellationToken);
}

public sealed class GetCityQueryHandler(IOrganizerDbContext db, ILinks links) : IQueryHandler<GetCityQuery, CityDto>
{
    public async ValueTask<CityDto> Handle(GetCityQuery query, CancellationToken cancellationToken)
    {
        var wanted = Slugs.From(query.City);
        var cities = await CityRows.LoadAsync(db, links, cancellationToken);
        return cities.FirstOrDefault(c => c.Slug == wanted) ?? throw new NotFoundException("city", query.City);
    }
}

internal static class CityRows
{
    public static async Task<List<CityDto>> LoadAsync(IOrganizerDbContext db, ILinks links, CancellationToken cancellationToken)
    {
        var places = await EventVisibility.PublicPlaces(db).AsNoTracking()
            .Where(p => p.City != null)
            .Select(p => new { City = p.City!, p.Region, p.CountryCode, Events = EventVisibility.ListedEvents(db).Count(e => e.PlaceId == p.Id) })
            .ToListAsync(cancellationToken);

        // Places spelled "Montréal" and "Montreal" are one city: the slug decides.
        return places
            .GroupBy(p => Slugs.From(p.City))
            .Select(g =>
            {
                var first = g.OrderByDescending(p => p.Events).First();
                return new CityDto(first.City, g.Key, first.Region, first.CountryCode, g.Sum(p => p.Events), links.CityCalendar(g.Key));
            })
            .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }
}
