using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Cities;
using Organizer.Application.Events;
using Organizer.Application.Common.Links;
using Organizer.Application.Access;
using Organizer.Application.Events.Series;

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
        var singles = EventVisibility.ListedEvents(db).Where(e => e.Recurrence == null);
        var upcoming = await singles.Where(e => e.Schedule.EndDate >= today)
            .OrderBy(e => e.Schedule.SortAt).Take(EventsShown).Select(EventRow.Projection).ToListAsync(cancellationToken);
        var recent = await singles.Where(e => e.Schedule.EndDate < today)
            .OrderByDescending(e => e.Schedule.SortAt).Take(EventsShown).Select(EventRow.Projection).ToListAsync(cancellationToken);

        // A series shows at its next date among the upcoming and at its latest among the recent, not at its first.
        var series = await EventVisibility.ListedEvents(db).Where(e => e.Recurrence != null)
            .OrderByDescending(e => e.SeriesEndDate == null).ThenByDescending(e => e.SeriesEndDate).Take(SeriesRead)
            .Include(e => e.Overrides).AsNoTracking().ToListAsync(cancellationToken);
        var ids = series.Select(s => s.Id).ToList();
        var rows = ids.Count == 0
            ? []
            : await db.Events.AsNoTracking().Where(e => ids.Contains(e.Id)).Select(EventRow.Projection).ToDictionaryAsync(r => r.Id, cancellationToken);
        var budget = new ExpansionBudget();
        var next = series.Select(s => SeriesExpansion.From(s, today, budget).Select(o => (Row: rows[s.Id], Occurrence: o)).FirstOrDefault()).Where(x => x.Occurrence is not null);
        var latest = series.Select(s => Latest(s, today, budget) is { } o ? (Row: rows[s.Id], Occurrence: o) : default).Where(x => x.Occurrence is not null);

        return new SubscribePageDto(
            links.AllEvents(),
            organizations.Select(o => Subscribable(o.Name, o.Slug, o.Events, links.OrganizationFeeds(o.Slug))).ToList(),
            cities.Where(c => c.EventCount > 0).Select(c => new SubscribableDto(c.Name, c.Slug, c.EventCount, c.Feed, null)).ToList(),
            upcoming.Select(r => (r.SortAt, Event: ToPageEvent(r.ToDto(links))))
                .Concat(next.Select(x => (x.Occurrence!.Schedule.SortAt, Event: ToPageEvent(x.Row, x.Occurrence))))
                .OrderBy(x => x.SortAt).Take(EventsShown).Select(x => x.Event).ToList(),
            recent.Select(r => (r.SortAt, Event: ToPageEvent(r.ToDto(links))))
                .Concat(latest.Select(x => (x.Occurrence!.Schedule.SortAt, Event: ToPageEvent(x.Row, x.Occurrence))))
                .OrderByDescending(x => x.SortAt).Take(EventsShown).Select(x => x.Event).ToList());
    }

    /// <summary>How many series the page reads: the ones still going on first, then those that ended last.</summary>
    private const int SeriesRead = 50;

    /// <summary>A series' latest date before today, looked for in the month before its last one (or before today).</summary>
    private static Occurrence? Latest(Domain.Events.Event series, DateOnly today, ExpansionBudget budget)
    {
        var last = series.SeriesEndDate is { } end && end < today ? end : today.AddDays(-1);
        return SeriesExpansion.Between(series, last.AddDays(-31), last, budget).LastOrDefault(o => o.Schedule.EndDate < today);
    }

    private PageEventDto ToPageEvent(EventRow series, Occurrence o)
    {
        var (start, end) = ScheduleFormat.Format(o.Schedule);
        return new PageEventDto(series.Slug, o.Title, start, end, o.Schedule.AllDay, series.Place?.City, links.EventCalendar(series.Slug));
    }

    private static SubscribableDto Subscribable(string name, string slug, int events, OrganizationFeedLinksDto feeds) =>
        new(name, slug, events, new FeedLinksDto(feeds.Https, feeds.Webcal), feeds.Atom);

    private static PageEventDto ToPageEvent(EventSummaryDto e) => new(e.Slug, e.Title, e.Start, e.End, e.AllDay, e.Place?.City, e.Calendar);
}
