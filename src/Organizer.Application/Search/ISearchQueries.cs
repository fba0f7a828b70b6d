using System.Linq.Expressions;

namespace Organizer.Application.Search;

/// <summary>PostgreSQL full-text search over the stored search vector of a searchable table, in Infrastructure.</summary>
public interface ISearchQueries
{
    /// <summary>
    /// The best <paramref name="limit"/> matches of <paramref name="words"/> (web-search syntax) among
    /// <paramref name="source"/>, best first: each with <paramref name="item"/>, its rank, and a snippet of
    /// <paramref name="text"/> with the matched words wrapped in « and ». Every match is ranked.
    /// </summary>
    Task<IReadOnlyList<SearchMatch<TItem>>> BestMatchesAsync<T, TItem>(
        IQueryable<T> source,
        Expression<Func<T, TItem>> item,
        Expression<Func<T, string>> text,
        string words,
        int limit,
        CancellationToken cancellationToken)
        where T : class;

    /// <summary>
    /// As <see cref="BestMatchesAsync{T,TItem}"/>, but when more than <see cref="RecentSearch{T,TDate}.RankWithin"/>
    /// rows match, only that many, those whose <see cref="RecentSearch{T,TDate}.Date"/> is nearest to
    /// <see cref="RecentSearch{T,TDate}.Today"/>, are ranked. The matches are found by walking the index on that date
    /// outwards from today, so a common word costs about as much as a rare one.
    /// </summary>
    Task<SearchMatches<TItem>> BestRecentMatchesAsync<T, TItem, TDate>(
        IQueryable<T> source,
        RecentSearch<T, TDate> recent,
        Expression<Func<T, TItem>> item,
        Expression<Func<T, string>> text,
        string words,
        int limit,
        CancellationToken cancellationToken)
        where T : class
        where TDate : struct, IComparable<TDate>;
}

/// <summary>How to find the matches nearest to today in one table.</summary>
/// <param name="Id">The row's key, to rank the chosen rows.</param>
/// <param name="Date">An indexed date of the row.</param>
/// <param name="Today">Where "nearest" is measured from.</param>
/// <param name="Distance">How far a date is from <paramref name="Today"/>, in any unit, to merge the two directions.</param>
/// <param name="RankWithin">The most rows ranked.</param>
public sealed record RecentSearch<T, TDate>(
    Expression<Func<T, Guid>> Id,
    Expression<Func<T, TDate>> Date,
    TDate Today,
    Func<TDate, double> Distance,
    int RankWithin)
    where TDate : struct, IComparable<TDate>;

/// <param name="RankedWithin">Set when more rows matched than were ranked: how many, nearest to today, were.</param>
public sealed record SearchMatches<TItem>(IReadOnlyList<SearchMatch<TItem>> Matches, int? RankedWithin);

public sealed class SearchMatch<TItem>
{
    public required TItem Item { get; init; }
    public required string Snippet { get; init; }
    public required float Rank { get; init; }
}
