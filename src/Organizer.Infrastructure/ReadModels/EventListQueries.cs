using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;
using Organizer.Application.Common.Models;
using Organizer.Application.Events;
using Organizer.Domain.Events;
using Organizer.Infrastructure.Persistence;

namespace Organizer.Infrastructure.ReadModels;

/// <remarks>EF translates a tsquery only when it is built inside each expression, not hoisted into a variable.</remarks>
internal sealed class EventListQueries(OrganizerDbContext db) : IEventListQueries
{
    /// <summary>The largest UTC offset in use (Kiribati): no event that starts on a day sorts before that day began there.</summary>
    private static readonly TimeSpan EarliestOffset = TimeSpan.FromHours(14);

    /// <summary>The smallest (Baker Island): no event that starts on a day sorts after that day ended there.</summary>
    private static readonly TimeSpan LatestOffset = TimeSpan.FromHours(-12);

    public IQueryable<Event> Matching(IQueryable<Event> events, string words) =>
        events.Where(e => EF.Property<NpgsqlTsVector>(e, SearchVector.Property).Matches(EF.Functions.WebSearchToTsQuery(SearchVector.Config, words)));

    public IQueryable<Event> After(IQueryable<Event> events, Cursor cursor) =>
        events.Where(e => EF.Functions.GreaterThan(ValueTuple.Create(e.Schedule.SortAt, e.Id), ValueTuple.Create(cursor.SortAt, cursor.Id)));

    public IQueryable<RankedEvent> Ranked(IQueryable<Event> events, string words, RelevanceCursor? cursor)
    {
        var ranked = events.Select(e => new RankedEvent
        {
            Id = e.Id,
            Rank = EF.Property<NpgsqlTsVector>(e, SearchVector.Property).Rank(EF.Functions.WebSearchToTsQuery(SearchVector.Config, words)),
        });
        if (cursor is { } after)
        {
            // Descending rank and ascending id as one row comparison: (-rank, id) > (-last rank, last id).
            ranked = ranked.Where(r => EF.Functions.GreaterThan(ValueTuple.Create(-r.Rank, r.Id), ValueTuple.Create(-after.Rank, after.Id)));
        }

        return ranked;
    }

    public async Task<List<EventKey>> FirstReachingAsync(IQueryable<Event> events, DateOnly from, DateOnly? to, int take, CancellationToken cancellationToken)
    {
        var dayBegan = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), EarliestOffset).ToUniversalTime();
        if (to is { } last)
        {
            var lastDayEnded = new DateTimeOffset(last.AddDays(1).ToDateTime(TimeOnly.MinValue), LatestOffset).ToUniversalTime();
            events = events.Where(e => e.Schedule.SortAt < lastDayEnded);
        }

        // Going on when the day begins: a few hundred events on any day, read from the GiST index on their span alone
        // (EventSpanIndex migration; the expression and predicate must stay the index's). Fetched first, so that
        // PostgreSQL plans the rest knowing how few they are, and probes them rather than hashing every event of a
        // big organization.
        var goingOn = await db.Database.SqlQuery<Guid>($"""
            SELECT id AS "Value" FROM events WHERE end_date > start_date AND daterange(start_date, end_date, '[]') @> {from}
            """).ToListAsync(cancellationToken);
        var starting = events.Where(e => e.Schedule.SortAt >= dayBegan)
            .OrderBy(e => e.Schedule.SortAt).ThenBy(e => e.Id).Take(take)
            .Select(e => new EventKey { Id = e.Id, SortAt = e.Schedule.SortAt });
        var begunBefore = events.Where(e => e.Schedule.SortAt < dayBegan && goingOn.Contains(e.Id))
            .OrderBy(e => e.Schedule.SortAt).ThenBy(e => e.Id).Take(take)
            .Select(e => new EventKey { Id = e.Id, SortAt = e.Schedule.SortAt });
        return await begunBefore.Concat(starting).OrderBy(k => k.SortAt).ThenBy(k => k.Id).Take(take).ToListAsync(cancellationToken);
    }
}
