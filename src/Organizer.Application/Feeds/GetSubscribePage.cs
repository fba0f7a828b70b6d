using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Cities;
using Organizer.Application.Events;
using Organizer.Application.Common.Links;
using Organizer.Application.Access;

namespace Organizer.Application.Feeds;

/// <param name="Atom">An organization's Atom feed of actions; a city has none.</param>
public sealed record SubscribableDto(string Name, string Slug, int EventCount, FeedLinksDto Feed, string? Atom);

public sealed record PageEventDto(string Slug, string Title, string Start, string? End, bool AllDay, string? City, FeedLinksDto Calendar);

public sealed record SubscribePageDto(
    FeedLinksDto AllFeed,
    IReadOnlyList<SubscribableDto> Organizations,
    IReadOnlyList<SubscribableDto> Cities,
    IReadOnlyList<PageEventDto> Upcoming,
    IReadOnlyList<PageEventDto> Recent);

/// <summary>What the home page offers: every feed there is to subscribe to, and the nearest events either side of today.</summary>
public sealed record GetSubscribePageQuery : IQuery<SubscribePageDto>;

public sealed class GetSubscribePageQueryHandler(IOrganizerDbContext db, TimeProvider clock, ILinks links) : IQueryHandler<GetSubscribePageQuery, SubscribePageDto>
{
    private const int EventsShown = 10;

    public async ValueTask<SubscribePageDto> Handle(GetSubscribePageQuery query, CancellationToken cancellationToken)
    {
        var organizations = await db.Organizations.AsNoTracking()
            .Select(o => new { o.Name, o.Slug, Events = EventVisibility.ListedEvents(db).Count(e => e.Participations.Any(p => p.OrganizationId == o.Id)) })
            .Where(o => o.Events > 0)
            .OrderBy(o => o.Name)
            .ToListAsync(cancellationToken);
        var cities = await CityRows.LoadAsync(db, links, cancellationToken);

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var upcoming = await EventVisibility.ListedEvents(db).Where(e => e.Schedule.EndDate >= today)
            .OrderBy(e => e.Schedule.SortAt).Take(EventsShown).Select(EventRow.Projection).ToListAsync(cancellationToken);
        var recent = await EventVisibility.ListedEvents(db).Where(e => e.Schedule.EndDate < today)
            .OrderByDescending(e => e.Schedule.SortAt).Take(EventsShown).Select(EventRow.Projection).ToListAsync(cancellationToken);

        return new SubscribePageDto(
            links.AllEvents(),
            organizations.Select(o => Subscribable(o.Name, o.Slug, o.Events, links.OrganizationFeeds(o.Slug))).ToList(),
            cities.Where(c => c.EventCount > 0).Select(c => new SubscribableDto(c.Name, c.Slug, c.EventCount, c.Feed, null)).ToList(),
            upcoming.Select(r => ToPageEvent(r.ToDto(links))).ToList(),
            recent.Select(r => ToPageEvent(r.ToDto(links))).ToList());
    }

    private static SubscribableDto Subscribable(string name, string slug, int events, OrganizationFeedLinksDto feeds) =>
        new(name, slug, events, new FeedLinksDto(feeds.Https, feeds.Webcal), feeds.Atom);

    private static PageEventDto ToPageEvent(EventSummaryDto e) => new(e.Slug, e.Title, e.Start, e.End, e.AllDay, e.Place?.City, e.Calendar);
}
