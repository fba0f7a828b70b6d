using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Organizer.Application.Common;
using Organizer.Application.Common.Validation;
using Organizer.Domain.Events;
using Organizer.Domain.Statements;
using Organizer.Application.Access;
using Organizer.Application.Events.Series;

namespace Organizer.Application.Search;

public enum SearchResultType
{
    Event,
    Statement,
    Resolution,
    Organization,
}

/// <summary>
/// One match. <c>snippet</c> is plain text (never HTML) with the matched words wrapped in « and »;
/// <c>event</c> is the assembly a resolution belongs to. A series is one match, whatever its number of occurrences:
/// <c>date</c> is its first occurrence's, and <c>series</c> says how it repeats and when it next takes place.
/// </summary>
public sealed record SearchResultDto(SearchResultType Type, string Slug, string Title, string? Date, string? Snippet, float Rank, string? Event, SearchSeriesDto? Series = null);

/// <param name="Rrule">The rule as a calendar app reads it, as the series' detail gives it.</param>
/// <param name="Next">The date of its next occurrence that is not over or cancelled; null when none is left.</param>
public sealed record SearchSeriesDto(string Rrule, string? Next);

/// <param name="RankedWithin">
/// Null when every match was ranked. Otherwise the words matched more events, statements or resolutions than are
/// ranked, and the results are the best of this many matches of each of those types, those nearest to today.
/// </param>
public sealed record SearchResultsDto(IReadOnlyList<SearchResultDto> Results, int? RankedWithin);

/// <summary>The query string of <c>GET /api/search</c>, bound as it is.</summary>
/// <param name="Q">Words to look for, e.g. "Anez coup" (web-search syntax: "quoted phrase", -excluded, or).</param>
/// <param name="Type">event, statement, resolution or organization.</param>
/// <param name="Limit">1–100, default 20.</param>
public sealed record SearchQuery(string? Q, string? Type = null, string? Limit = null) : IQuery<SearchResultsDto>, IReadsReplica
{
    public static readonly PageLimit Limits = new(Default: 20, Max: 100);
}

public sealed class SearchQueryValidator : AbstractValidator<SearchQuery>
{
    public SearchQueryValidator()
    {
        RuleFor(q => q.Q).Must(q => !string.IsNullOrWhiteSpace(q)).OverridePropertyName("q").WithMessage("'q' is required: the words to search for.");
        RuleFor(q => q.Q).Must(q => q!.Length <= 200 && !q.Any(char.IsControl)).When(q => !string.IsNullOrWhiteSpace(q.Q))
            .OverridePropertyName("q").WithMessage("'q' is at most 200 characters of text.");
        RuleFor(q => q.Type).Must(t => KebabEnum.TryParse<SearchResultType>(t, out _)).When(q => q.Type is not null)
            .OverridePropertyName("type").WithMessage($"'type' must be one of: {KebabEnum.Allowed<SearchResultType>()}.");
        RuleFor(q => q.Limit).Must(SearchQuery.Limits.IsValid)
            .OverridePropertyName("limit").WithMessage(SearchQuery.Limits.Message);
    }
}

/// <summary>Full-text search over events, statements, resolutions and organizations, best matches first.</summary>
public sealed class SearchQueryHandler(IOrganizerDbContext db, ISearchQueries search, TimeProvider clock, IOptions<SearchOptions> options)
    : IQueryHandler<SearchQuery, SearchResultsDto>
{
    public async ValueTask<SearchResultsDto> Handle(SearchQuery query, CancellationToken cancellationToken)
    {
        var limit = SearchQuery.Limits.Parse(query.Limit);
        var wanted = KebabEnum.TryParse<SearchResultType>(query.Type, out var t) ? t : (SearchResultType?)null;
        var q = query.Q!;
        var results = new List<SearchResultDto>();
        int? rankedWithin = null;
        var cap = options.Value.RankWithin;
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        if (wanted is null or SearchResultType.Event)
        {
            // A series' date is its first occurrence's, which says nothing of whether it is near today: series are
            // ranked in full instead, as resolutions are. They are few, and the partial index over them finds them.
            var found = await search.BestRecentMatchesAsync(
                EventVisibility.ListedEvents(db).Where(e => e.Recurrence == null),
                new RecentSearch<Event, DateTimeOffset>(e => e.Id, e => e.Schedule.SortAt, now, d => Math.Abs((d - now).Ticks), cap),
                e => new { e.Slug, e.Title, e.Schedule.StartDate },
                e => e.Title + ". " + (e.Description ?? ""),
                q,
                limit,
                cancellationToken);
            rankedWithin ??= found.RankedWithin;
            results.AddRange(found.Matches.Select(m => new SearchResultDto(SearchResultType.Event, m.Item.Slug, m.Item.Title, Day(m.Item.StartDate), m.Snippet, m.Rank, null)));

            var series = await search.BestMatchesAsync(
                EventVisibility.ListedEvents(db).Where(e => e.Recurrence != null),
                e => new { e.Id, e.Slug, e.Title, e.Schedule.StartDate },
                e => e.Title + ". " + (e.Description ?? ""),
                q,
                limit,
                cancellationToken);
            var repeats = await RepeatsAsync(series.Select(m => m.Item.Id).ToList(), now, cancellationToken);
            results.AddRange(series.Select(m => new SearchResultDto(
                SearchResultType.Event, m.Item.Slug, m.Item.Title, Day(m.Item.StartDate), m.Snippet, m.Rank, null, repeats.GetValueOrDefault(m.Item.Id))));
        }

        if (wanted is null or SearchResultType.Statement)
        {
            var found = await search.BestRecentMatchesAsync(
                db.Statements.AsNoTracking(),
                new RecentSearch<Statement, DateOnly>(s => s.Id, s => s.IssuedOn, today, d => Math.Abs(d.DayNumber - today.DayNumber), cap),
                s => new { s.Slug, s.Title, s.IssuedOn },
                s => s.Title + ". " + (s.Summary ?? "") + " " + (s.Text ?? ""),
                q,
                limit,
                cancellationToken);
            rankedWithin ??= found.RankedWithin;
            results.AddRange(found.Matches.Select(m => new SearchResultDto(SearchResultType.Statement, m.Item.Slug, m.Item.Title, Day(m.Item.IssuedOn), m.Snippet, m.Rank, null)));
        }

        if (wanted is null or SearchResultType.Resolution)
        {
            // Always ranked in full: resolutions are few (a tenth of the events have any), and their date is their
            // assembly's, so walking by date would walk every event to find them.
            var matches = await search.BestMatchesAsync(
                db.Resolutions.AsNoTracking().Where(r => r.Event!.Visibility == Visibility.Public && r.Event.Status != EventStatus.Pending),
                r => new { r.Ordinal, r.Title, Event = r.Event!.Slug, r.Event.Schedule.StartDate },
                r => r.Title + ". " + r.Text,
                q,
                limit,
                cancellationToken);
            results.AddRange(matches.Select(m => new SearchResultDto(
                SearchResultType.Resolution, $"{m.Item.Event}#{m.Item.Ordinal}", m.Item.Title, Day(m.Item.StartDate), m.Snippet, m.Rank, m.Item.Event)));
        }

        if (wanted is null or SearchResultType.Organization)
        {
            var matches = await search.BestMatchesAsync(
                db.Organizations.AsNoTracking(), o => new { o.Slug, o.Name }, o => o.Name + ". " + (o.Description ?? ""), q, limit, cancellationToken);
            results.AddRange(matches.Select(m => new SearchResultDto(SearchResultType.Organization, m.Item.Slug, m.Item.Name, null, m.Snippet, m.Rank, null)));
        }

        return new SearchResultsDto(
            results.OrderByDescending(r => r.Rank).ThenBy(r => r.Type).ThenBy(r => r.Slug, StringComparer.Ordinal).Take(limit).ToList(),
            rankedWithin);
    }

    /// <summary>How each series repeats and when it next takes place, within one expansion budget for the request.</summary>
    private async Task<Dictionary<Guid, SearchSeriesDto>> RepeatsAsync(List<Guid> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var budget = new ExpansionBudget();
        var series = await db.Events.AsNoTracking().Include(e => e.Overrides).Where(e => ids.Contains(e.Id)).ToListAsync(cancellationToken);
        return series.ToDictionary(s => s.Id, s =>
        {
            var today = DateOnly.FromDateTime(EventSchedule.ToLocal(now, EventSchedule.FindZone(s.Schedule.TimeZone)));
            var next = SeriesExpansion.From(s, today, budget)
                .Where(o => o.Status is not EventStatus.Cancelled)
                .FirstOrDefault(o => o.Schedule.AllDay ? o.Schedule.EndDate >= today : (o.Schedule.EndsAt ?? o.Schedule.StartsAt!.Value) >= now);
            return new SearchSeriesDto(s.Recurrence!.ToRRule(s.Schedule), next is null ? null : Day(next.Date));
        });
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
