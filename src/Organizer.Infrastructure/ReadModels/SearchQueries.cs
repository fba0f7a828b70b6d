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
        where T : class
    {
        // One projection for every searchable table, with the caller's item and snippet text spliced in for the
        // placeholders: the statement is the one a hand-written projection per table would give. The tsquery is built
        // inside each expression (EF translates it only there) from the one captured value, so it is one parameter.
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

        return await source
            .Where(e => EF.Property<NpgsqlTsVector>(e, SearchVector.Property).Matches(EF.Functions.WebSearchToTsQuery(SearchVector.Config, words)))
            .Select(Expression.Lambda<Func<T, SearchMatch<TItem>>>(body, row))
            .OrderByDescending(m => m.Rank)
            .Take(limit)
            .ToListAsync(cancellationToken);
    }
}
