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
/// <param name="OccurrencesCountedUntil">
/// Null when every such occurrence was counted. Otherwise the organization's series have more of them than one request
/// expands (<see cref="GetSummaryQueryHandler.OccurrenceBudget"/>), and they were counted up to this date.
/// </param>
public sealed record OrganizationSummaryDto(
    string Organization,
    int Events,
    int Statements,
    IReadOnlyList<YearCountDto> ByYear,
    IReadOnlyList<KindCountDto> ByKind,
    ActionRefDto? First,
    ActionRefDto? Last,
    IReadOnlyList<PartnerDto> ActsMostOftenWith,
    string? OccurrencesCountedUntil = null);

/// <summary>An organization's record at a glance: how much, when, what kind, and with whom it acts.</summary>
public sealed record GetSummaryQuery(string Slug) : IQuery<OrganizationSummaryDto>, IReadsReplica;

/// <summary>
/// The kept counts of single events and statements, plus the occurrences of the organization's series counted now: an
/// occurrence counts once it has begun, unless it was cancelled, in the year it took place, with the organization's
/// role in the series; a partner in a series shares each such occurrence with it.
/// </summary>
public sealed class GetSummaryQueryHandler(IOrganizerDbContext db, IOrganizationSummaryQueries summaries, ITimelineQueries timeline, TimeProvider clock)
    : IQueryHandler<GetSummaryQuery, OrganizationSummaryDto>
{
    /// <summary>
    /// The most occurrences one summary expands: a request's budget, as for every other read (issue 13). A count needs
    /// every past occurrence, so an organization whose series have more (a daily picket line of three years) is counted
    /// up to the date where the budget ran out, and the summary says which.
    /// </summary>
    public const int OccurrenceBudget = SeriesExpansion.MaxPerRequest;

    public async ValueTask<OrganizationSummaryDto> Handle(GetSummaryQuery query, CancellationToken cancellationToken)
    {
        var organization = await db.Organizations.FindRefAsync(query.Slug, cancellationToken);
        var kept = await summaries.ReadAsync(organization.Id, cancellationToken);
        var series = await timeline.SeriesAsync(organization.Id, cancellationToken);

        // Every series read forward together, so that a budget that runs out leaves them all counted to one instant.
        var now = clock.GetUtcNow();
        var budget = new ExpansionBudget(OccurrenceBudget);
        var occurrences = SeriesActions.Merge(
            series.Select(s => Counted(s, now, budget)), o => o.Key, descending: false, int.MaxValue, budget, out var cut);

        var eventCounts = kept.Events.Concat(occurrences.Select(o => new KeptEventCount(o.Occurrence.Schedule.StartDate.Year, o.Part.Series.Kind, 1))).ToList();
        var eventYears = eventCounts.GroupBy(c => c.Year).ToDictionary(g => g.Key, g => g.Sum(c => c.Events));
        var statementYears = kept.Statements.ToDictionary(c => c.Year, c => c.Statements);
        var byKind = eventCounts.GroupBy(c => c.Kind).Select(g => new KindCountDto(g.Key, g.Sum(c => c.Events)));
        var years = eventYears.Keys.Union(statementYears.Keys).Order()
            .Select(y => new YearCountDto(y, eventYears.GetValueOrDefault(y), statementYears.GetValueOrDefault(y)))
            .ToList();

        // Each occurrence is an event shared with every other organization in the series.
        var throughSeries = new Dictionary<Guid, int>();
        foreach (var (part, count) in occurrences.GroupBy(o => o.Part).Select(g => (g.Key, g.Count())))
        {
            foreach (var partner in part.Series.Participations.Where(p => p.OrganizationId != organization.Id))
            {
                throughSeries[partner.OrganizationId] = throughSeries.GetValueOrDefault(partner.OrganizationId) + count;
            }
        }

        var partners = await timeline.PartnersAsync(organization.Id, throughSeries, cancellationToken);

        var firstEvent = occurrences.Count > 0 && (kept.FirstEvent is null || TimelineCursor.Compare(occurrences[0].Key, Key(kept.FirstEvent)) < 0)
            ? occurrences[0].Action
            : kept.FirstEvent?.Action;
        var lastEvent = occurrences.Count > 0 && (kept.LastEvent is null || TimelineCursor.Compare(occurrences[^1].Key, Key(kept.LastEvent)) > 0)
            ? occurrences[^1].Action
            : kept.LastEvent?.Action;

        return new OrganizationSummaryDto(
            organization.Slug,
            eventYears.Values.Sum(),
            statementYears.Values.Sum(),
            years,
            byKind.OrderByDescending(k => k.Count).ThenBy(k => k.Kind).ToList(),
            EarlierOrLater(firstEvent, kept.FirstStatement, latest: false),
            EarlierOrLater(lastEvent, kept.LastStatement, latest: true),
            partners,
            cut && occurrences.Count > 0 ? Day(occurrences[^1].Occurrence.Schedule.StartDate) : null);
    }

    /// <summary>The occurrences of a series that count now: begun, and neither cancelled nor awaiting approval.</summary>
    private static IEnumerable<CountedOccurrence> Counted(OrganizationSeries part, DateTimeOffset now, ExpansionBudget budget) =>
        SeriesExpansion.From(part.Series, null, budget)
            .TakeWhile(o => o.Schedule.SortAt < now)
            .Where(o => o.Status is not (EventStatus.Cancelled or EventStatus.Pending))
            .Select(o => new CountedOccurrence(part, o));

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

    private sealed record CountedOccurrence(OrganizationSeries Part, Occurrence Occurrence)
    {
        public TimelineCursor Key { get; } = new(Occurrence.Schedule.SortAt, TimelineRow.EventRank, 0, Part.Series.Id, Occurrence.Date);

        public ActionRefDto Action => new(TimelineItemType.Event, Part.Series.Slug, Occurrence.Title, Day(Occurrence.Schedule.StartDate), Day(Occurrence.Date));
    }
}
