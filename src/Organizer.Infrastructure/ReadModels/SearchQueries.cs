using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using NpgsqlTypes;
using Organizer.Application.Search;
using Organizer.Infrastructure.Persistence;

namespace Organizer.Infrastructure.ReadModels;

internal sealed class SearchQueries : ISearchQueries
{
    private const string Headline = "StartSel=«, StopSel=», MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=\" … \"";

    public async Task<IReadOnlyList<SearchMatch<TItem>>> BestMatchesAsync<T, TItem>(
        IQueryable<T> source,
        Expression<Func<T, TItem>> item,
        Expression<Func<T, string>> text,
        string words,
        int limit,
        CancellationToken cancellationToken)
        where T : class =>
        await Ranked(Matching(source, words), item, text, words).OrderByDescending(m => m.Rank).Take(limit).ToListAsync(cancellationToken);

    public async Task<SearchMatches<TItem>> BestRecentMatchesAsync<T, TItem, TDate>(
        IQueryable<T> source,
        RecentSearch<T, TDate> recent,
        Expression<Func<T, TItem>> item,
        Expression<Func<T, string>> text,
        string words,
        int limit,
        CancellationToken cancellationToken)
        where T : class
        where TDate : struct, IComparable<TDate>
    {
        var matching = Matching(source, words);
        var cap = recent.RankWithin;

        // Two walks of the date index, upcoming soonest first and past latest first, each stopping after one more row
        // than can be ranked. PostgreSQL chooses per walk between following the date index (a common word: it soon
        // has enough) and collecting the word's matches from the text index (a rarer word: there are few).
        var row = recent.Date.Parameters[0];
        var today = new Captured<TDate>(recent.Today).Expression();
        var upcoming = Expression.Lambda<Func<T, bool>>(Expression.GreaterThanOrEqual(recent.Date.Body, today), row);
        var past = Expression.Lambda<Func<T, bool>>(Expression.LessThan(recent.Date.Body, today), row);
        var candidate = Expression.Lambda<Func<T, Candidate<TDate>>>(
            Expression.MemberInit(
                Expression.New(typeof(Candidate<TDate>)),
                Expression.Bind(typeof(Candidate<TDate>).GetProperty(nameof(Candidate<TDate>.Id))!, ReplacingExpressionVisitor.Replace(recent.Id.Parameters[0], row, recent.Id.Body)),
                Expression.Bind(typeof(Candidate<TDate>).GetProperty(nameof(Candidate<TDate>.Date))!, recent.Date.Body)),
            row);
        var found = await matching.Where(upcoming).OrderBy(recent.Date).Take(cap + 1).Select(candidate)
            .Concat(matching.Where(past).OrderByDescending(recent.Date).Take(cap + 1).Select(candidate))
            .ToListAsync(cancellationToken);

        var bounded = found.Count > cap;
        var ids = (bounded ? found.OrderBy(c => recent.Distance(c.Date)).ThenBy(c => c.Id).Take(cap) : found).Select(c => c.Id).ToList();
        var chosen = Expression.Lambda<Func<T, bool>>(
            Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(Guid)], new Captured<List<Guid>>(ids).Expression(), recent.Id.Body),
            recent.Id.Parameters[0]);

        var matches = await Ranked(matching.Where(chosen), item, text, words).OrderByDescending(m => m.Rank).Take(limit).ToListAsync(cancellationToken);
        return new SearchMatches<TItem>(matches, bounded ? cap : null);
    }

    private static IQueryable<T> Matching<T>(IQueryable<T> source, string words) where T : class =>
        source.Where(e => EF.Property<NpgsqlTsVector>(e, SearchVector.Property).Matches(EF.Functions.WebSearchToTsQuery(SearchVector.Config, words)));

    /// <summary>
    /// One projection for every searchable table, with the caller's item and snippet text spliced in for the
    /// placeholders: the statement is the one a hand-written projection per table would give. The tsquery is built
    /// inside each expression (EF translates it only there) from the one captured value, so it is one parameter.
    /// </summary>
    private static IQueryable<SearchMatch<TItem>> Ranked<T, TItem>(IQueryable<T> matching, Expression<Func<T, TItem>> item, Expression<Func<T, string>> text, string words)
        where T : class
    {
        Expression<Func<T, TItem, string, SearchMatch<TItem>>> match = (e, shown, headlineText) => new SearchMatch<TItem>
        {
            Item = shown,
            Snippet = EF.Functions.WebSearchToTsQuery(SearchVector.Config, words).GetResultHeadline(SearchVector.Config, headlineText, Headline),
            Rank = EF.Property<NpgsqlTsVector>(e, SearchVector.Property).Rank(EF.Functions.WebSearchToTsQuery(SearchVector.Config, words)),
        };
        var row = match.Parameters[0];
        var body = new ReplacingExpressionVisitor(
                [match.Parameters[1], match.Parameters[2]],
                [ReplacingExpressionVisitor.Replace(item.Parameters[0], row, item.Body), ReplacingExpressionVisitor.Replace(text.Parameters[0], row, text.Body)])
            .Visit(match.Body);
        return matching.Select(Expression.Lambda<Func<T, SearchMatch<TItem>>>(body, row));
    }

    private sealed class Candidate<TDate> where TDate : struct
    {
        public Guid Id { get; init; }
        public TDate Date { get; init; }
    }

    /// <summary>
    /// A value read through a field of an object, as a lambda's closure reads it: EF sends it as a parameter. A
    /// constant node would be written into the SQL, and every new value would compile and cache a new query.
    /// </summary>
    private sealed class Captured<TValue>(TValue value)
    {
        public readonly TValue Value = value;

        public Expression Expression() => System.Linq.Expressions.Expression.Field(System.Linq.Expressions.Expression.Constant(this), nameof(Value));
    }
}
