using System.Linq.Expressions;

namespace Organizer.Application.Search;

/// <summary>PostgreSQL full-text search over the stored search vector of a searchable table, in Infrastructure.</summary>
public interface ISearchQueries
{
    /// <summary>
    /// The best <paramref name="limit"/> matches of <paramref name="words"/> (web-search syntax) among
    /// <paramref name="source"/>, best first: each with <paramref name="item"/>, its rank, and a snippet of
    /// <paramref name="text"/> with the matched words wrapped in « and ».
    /// </summary>
    Task<IReadOnlyList<SearchMatch<TItem>>> BestMatchesAsync<T, TItem>(
        IQueryable<T> source,
        Expression<Func<T, TItem>> item,
        Expression<Func<T, string>> text,
        string words,
        int limit,
        CancellationToken cancellationToken)
        where T : class;
}

public sealed class SearchMatch<TItem>
{
    public required TItem Item { get; init; }
    public required string Snippet { get; init; }
    public required float Rank { get; init; }
}
