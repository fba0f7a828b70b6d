using System.Globalization;
using Mediator;
using Organizer.Application.Common;
using Organizer.Application.Events.Series;
using Organizer.Domain.Events;

namespace Organizer.Application.Timeline;

public sealed record YearCountDto(int Year, int Events, int Statements);

public sealed record KindCountDto(EventKind Kind, int Count);

/// <param name="Occurrence">For an occurrence of the series <paramref name="Slug"/>, the date that names it.</param>
public sealed record ActionRefDto(TimelineItemType Type, string Slug, string Title, string Date, string? Occurrence = null);

public sealed record PartnerDto(string Slug, string Name, int SharedEvents);

/// <param name="Events">Listed events and, for a series, each of its occurrences that has begun and was not cancelled.</param>
public sealed record OrganizationSummaryDto(
    string Organization,
    int Events,
    int Statements,
    IReadOnlyList<YearCountDto> ByYear,
    IReadOnlyList<KindCountDto> ByKind,
    ActionRefDto? First,
    ActionRefDto? Last,
    IReadOnlyList<PartnerDto> ActsMostOftenWith);

/// <summary>An organization's record at a glance: how much, when, what kind, and with whom it acts.</summary>
public sealed record GetSummaryQuery(string Slug) : IQuery<OrganizationSummaryDto>, IReadsReplica;

/// <summary>
/// The kept counts of single events and statements, plus the occurrences of the organization's series counted now: an
/// occurrence counts once it has begun, unless it was cancelled, in the year it took place, with the organization's
/// role in the series; a partner in a series shares each such occurrence with it. Each series' count comes from its
/// tally (<see cref="SeriesTallies"/>), expanded again only when the series changed.
/// </summary>
public sealed class GetSummaryQueryHandler(
    IOrganizerDbContext db, IOrganizationSummaryQueries summaries, ITimelineQueries timeline, SeriesTallies tallies, TimeProvider clock)
    : IQueryHandler<GetSummaryQuery, OrganizationSummaryDto>
{
    public async ValueTask<OrganizationSummaryDto> Handle(GetSummaryQuery query, CancellationToken cancellationToken)
    {
        var organization = await db.Organizations.FindRefAsync(query.Slug, cancellationToken);
        var kept = await summaries.ReadAsync(organization.Id, cancellationToken);
        var series = await timeline.SeriesAsync(organization.Id, cancellationToken);
        var now = clock.GetUtcNow();
        var counts = series.Zip(tallies.CountAt([.. series.Select(s => s.Series)], now), (part, count) => (Part: part, Count: count))
            .Where(c => c.Count.Total > 0)
            .ToList();

        var eventCounts = kept.Events
            .Concat(counts.SelectMany(c => c.Count.ByYear.Select(y => new KeptEventCount(y.Key, c.Part.Series.Kind, y.Value))))
            .ToList();
        var eventYears = eventCounts.GroupBy(c => c.Year).ToDictionary(g => g.Key, g => g.Sum(c => c.Events));
        var statementYears = kept.Statements.ToDictionary(c => c.Year, c => c.Statements);
        var byKind = eventCounts.GroupBy(c => c.Kind).Select(g => new KindCountDto(g.Key, g.Sum(c => c.Events)));
        var years = eventYears.Keys.Union(statementYears.Keys).Order()
            .Select(y => new YearCountDto(y, eventYears.GetValueOrDefault(y), statementYears.GetValueOrDefault(y)))
            .ToList();

        // Each occurrence is an event shared with every other organization in the series.
        var throughSeries = new Dictionary<Guid, int>();
        foreach (var (part, count) in counts)
        {
            foreach (var partner in part.Series.Participations.Where(p => p.OrganizationId != organization.Id))
            {
                throughSeries[partner.OrganizationId] = throughSeries.GetValueOrDefault(partner.OrganizationId) + count.Total;
            }
        }

        var partners = await timeline.PartnersAsync(organization.Id, throughSeries, cancellationToken);

        var firstOccurrence = counts.Select(c => new CountedOccurrence(c.Part, c.Count.First!.Value)).MinBy(o => o.Key, TimelineCursor.Comparer);
        var lastOccurrence = counts.Select(c => new CountedOccurrence(c.Part, c.Count.Last!.Value)).MaxBy(o => o.Key, TimelineCursor.Comparer);
        var firstEvent = firstOccurrence is not null && (kept.FirstEvent is null || TimelineCursor.Compare(firstOccurrence.Key, Key(kept.FirstEvent)) < 0)
            ? firstOccurrence.Action
            : kept.FirstEvent?.Action;
        var lastEvent = lastOccurrence is not null && (kept.LastEvent is null || TimelineCursor.Compare(lastOccurrence.Key, Key(kept.LastEvent)) > 0)
            ? lastOccurrence.Action
            : kept.LastEvent?.Action;

        return new OrganizationSummaryDto(
            organization.Slug,
            eventYears.Values.Sum(),
            statementYears.Values.Sum(),
            years,
            byKind.OrderByDescending(k => k.Count).ThenBy(k => k.Kind).ToList(),
            EarlierOrLater(firstEvent, kept.FirstStatement, latest: false),
            EarlierOrLater(lastEvent, kept.LastStatement, latest: true),
            partners);
    }

    private static TimelineCursor Key(KeptEventEnd end) => new(end.SortAt, TimelineRow.EventRank, 0, end.Id);

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The earlier (or, with <paramref name="latest"/>, the later) of two actions; ISO dates compare as text.</summary>
    private static ActionRefDto? EarlierOrLater(ActionRefDto? a, ActionRefDto? b, bool latest)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }

        var aFirst = string.CompareOrdinal(a.Date, b.Date) <= 0;
        return aFirst != latest ? a : b;
    }

    private sealed record CountedOccurrence(OrganizationSeries Part, TalliedOccurrence Occurrence)
    {
        public TimelineCursor Key { get; } = new(Occurrence.SortAt, TimelineRow.EventRank, 0, Part.Series.Id, Occurrence.Date);

        /// <summary>Titled as the date now is: a changed date may have a title of its own.</summary>
        public ActionRefDto Action => new(
            TimelineItemType.Event,
            Part.Series.Slug,
            SeriesExpansion.On(Part.Series, Occurrence.Date)?.Title ?? Part.Series.Title,
            Day(Occurrence.StartDate),
            Day(Occurrence.Date));
    }
}
