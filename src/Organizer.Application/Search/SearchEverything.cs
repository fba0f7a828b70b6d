using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;
using Organizer.Application.Common;
using Organizer.Domain.Events;
using Organizer.Application.Access;

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
/// <c>event</c> is the assembly a resolution belongs to.
/// </summary>
public sealed record SearchResultDto(SearchResultType Type, string Slug, string Title, string? Date, string? Snippet, float Rank, string? Event);

public sealed record SearchQuery(string? Q, string? Type = null, string? Limit = null) : IQuery<IReadOnlyList<SearchResultDto>>;

public sealed class SearchQueryValidator : AbstractValidator<SearchQuery>
{
    public SearchQueryValidator()
    {
        RuleFor(q => q.Q).Must(q => !string.IsNullOrWhiteSpace(q)).OverridePropertyName("q").WithMessage("'q' is required: the words to search for.");
        RuleFor(q => q.Q).Must(q => q!.Length <= 200 && !q.Any(char.IsControl)).When(q => !string.IsNullOrWhiteSpace(q.Q))
            .OverridePropertyName("q").WithMessage("'q' is at most 200 characters of text.");
        RuleFor(q => q.Type).Must(t => KebabEnum.TryParse<SearchResultType>(t, out _)).When(q => q.Type is not null)
            .OverridePropertyName("type").WithMessage($"'type' must be one of: {KebabEnum.Allowed<SearchResultType>()}.");
        RuleFor(q => q.Limit).Must(l => int.TryParse(l, out var n) && n is >= 1 and <= 100).When(q => q.Limit is not null)
            .OverridePropertyName("limit").WithMessage("'limit' must be a whole number from 1 to 100.");
    }
}

/// <summary>PostgreSQL full-text search over events, statements, resolutions and organizations, best matches first.</summary>
public sealed class SearchQueryHandler(IOrganizerDbContext db) : IQueryHandler<SearchQuery, IReadOnlyList<SearchResultDto>>
{
    private const string Headline = "StartSel=«, StopSel=», MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=\" … \"";

    public async ValueTask<IReadOnlyList<SearchResultDto>> Handle(SearchQuery query, CancellationToken cancellationToken)
    {
        var limit = query.Limit is null ? 20 : int.Parse(query.Limit, System.Globalization.CultureInfo.InvariantCulture);
        var wanted = KebabEnum.TryParse<SearchResultType>(query.Type, out var t) ? t : (SearchResultType?)null;
        // EF translates the tsquery only when it is built inside each expression, not hoisted into a variable.
        var q = query.Q!;
        var results = new List<SearchResultDto>();

        if (wanted is null or SearchResultType.Event)
        {
            var rows = await EventVisibility.ListedEvents(db)
                .Where(e => EF.Property<NpgsqlTsVector>(e, SearchNames.Vector).Matches(EF.Functions.WebSearchToTsQuery(SearchNames.Config, q)))
                .Select(e => new
                {
                    e.Slug,
                    e.Title,
                    e.Schedule.StartDate,
                    Snippet = EF.Functions.WebSearchToTsQuery(SearchNames.Config, q).GetResultHeadline(SearchNames.Config, e.Title + ". " + (e.Description ?? ""), Headline),
                    Rank = EF.Property<NpgsqlTsVector>(e, SearchNames.Vector).Rank(EF.Functions.WebSearchToTsQuery(SearchNames.Config, q)),
                })
                .OrderByDescending(r => r.Rank).Take(limit).ToListAsync(cancellationToken);
            results.AddRange(rows.Select(r => new SearchResultDto(SearchResultType.Event, r.Slug, r.Title, r.StartDate.ToString("yyyy-MM-dd"), r.Snippet, r.Rank, null)));
        }

        if (wanted is null or SearchResultType.Statement)
        {
            var rows = await db.Statements.AsNoTracking()
                .Where(s => EF.Property<NpgsqlTsVector>(s, SearchNames.Vector).Matches(EF.Functions.WebSearchToTsQuery(SearchNames.Config, q)))
                .Select(s => new
                {
                    s.Slug,
                    s.Title,
                    s.IssuedOn,
                    Snippet = EF.Functions.WebSearchToTsQuery(SearchNames.Config, q).GetResultHeadline(SearchNames.Config, s.Title + ". " + (s.Summary ?? "") + " " + (s.Text ?? ""), Headline),
                    Rank = EF.Property<NpgsqlTsVector>(s, SearchNames.Vector).Rank(EF.Functions.WebSearchToTsQuery(SearchNames.Config, q)),
                })
                .OrderByDescending(r => r.Rank).Take(limit).ToListAsync(cancellationToken);
            results.AddRange(rows.Select(r => new SearchResultDto(SearchResultType.Statement, r.Slug, r.Title, r.IssuedOn.ToString("yyyy-MM-dd"), r.Snippet, r.Rank, null)));
        }

        if (wanted is null or SearchResultType.Resolution)
        {
            var rows = await db.Resolutions.AsNoTracking()
                .Where(r => r.Event!.Visibility == Visibility.Public && r.Event.Status != EventStatus.Pending)
                .Where(r => EF.Property<NpgsqlTsVector>(r, SearchNames.Vector).Matches(EF.Functions.WebSearchToTsQuery(SearchNames.Config, q)))
                .Select(r => new
                {
                    r.Ordinal,
                    r.Title,
                    Event = r.Event!.Slug,
                    r.Event.Schedule.StartDate,
                    Snippet = EF.Functions.WebSearchToTsQuery(SearchNames.Config, q).GetResultHeadline(SearchNames.Config, r.Title + ". " + r.Text, Headline),
                    Rank = EF.Property<NpgsqlTsVector>(r, SearchNames.Vector).Rank(EF.Functions.WebSearchToTsQuery(SearchNames.Config, q)),
                })
                .OrderByDescending(r => r.Rank).Take(limit).ToListAsync(cancellationToken);
            results.AddRange(rows.Select(r => new SearchResultDto(SearchResultType.Resolution, $"{r.Event}#{r.Ordinal}", r.Title, r.StartDate.ToString("yyyy-MM-dd"), r.Snippet, r.Rank, r.Event)));
        }

        if (wanted is null or SearchResultType.Organization)
        {
            var rows = await db.Organizations.AsNoTracking()
                .Where(o => EF.Property<NpgsqlTsVector>(o, SearchNames.Vector).Matches(EF.Functions.WebSearchToTsQuery(SearchNames.Config, q)))
                .Select(o => new
                {
                    o.Slug,
                    o.Name,
                    Snippet = EF.Functions.WebSearchToTsQuery(SearchNames.Config, q).GetResultHeadline(SearchNames.Config, o.Name + ". " + (o.Description ?? ""), Headline),
                    Rank = EF.Property<NpgsqlTsVector>(o, SearchNames.Vector).Rank(EF.Functions.WebSearchToTsQuery(SearchNames.Config, q)),
                })
                .OrderByDescending(r => r.Rank).Take(limit).ToListAsync(cancellationToken);
            results.AddRange(rows.Select(r => new SearchResultDto(SearchResultType.Organization, r.Slug, r.Name, null, r.Snippet, r.Rank, null)));
        }

        return results.OrderByDescending(r => r.Rank).ThenBy(r => r.Type).ThenBy(r => r.Slug, StringComparer.Ordinal).Take(limit).ToList();
    }
}

/// <summary>The names the database side of search goes by (see the SearchAndTimeline migration).</summary>
public static class SearchNames
{
    /// <summary>English stemming after stripping accents.</summary>
    public const string Config = "organizer_search";

    /// <summary>The stored, GIN-indexed tsvector shadow column on each searchable table.</summary>
    public const string Vector = "SearchVector";
}
