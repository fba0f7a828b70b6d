using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;
using Organizer.Application.Common.Models;
using Organizer.Application.Events;
using Organizer.Domain.Events;
using Organizer.Infrastructure.Persistence;
using Organizer.Infrastructure.Persistence.Configurations;

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

    public async Task<List<EventKey>> PageAsync(IQueryable<Event> events, EventPageRequest request, CancellationToken cancellationToken)
    {
        // Bounds on the sort instant, from the local dates: no event that starts on a day sorts before that day began
        // in the easternmost zone, or after it ended in the westernmost.
        DateTimeOffset? dayBegan = request.From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), EarliestOffset).ToUniversalTime() : null;
        DateTimeOffset? lastDayEnded = request.To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), LatestOffset).ToUniversalTime() : null;
        var take = request.Take;

        var starting = Page(events, request.Organization, dayBegan, lastDayEnded, request.After, take);
        if (request.From is not { } first || (request.After is { } after && after.SortAt >= dayBegan))
        {
            return await starting.ToListAsync(cancellationToken);
        }

        // Going on when the day begins: a few hundred events on any day, read from the GiST index on their span alone
        // (EventSpanIndex migration; the expression and predicate must stay the index's). Fetched first, so that
        // PostgreSQL plans the rest knowing how few they are, and probes them rather than hashing every event of a
        // big organization.
        var goingOn = await db.Database.SqlQuery<Guid>($"""
            SELECT id AS "Value" FROM events WHERE end_date > start_date AND daterange(start_date, end_date, '[]') @> {first}
            """).ToListAsync(cancellationToken);
        var begunBefore = events.Where(e => goingOn.Contains(e.Id) && e.Schedule.SortAt < dayBegan);
        if (request.Organization is { } organization)
        {
            begunBefore = begunBefore.Where(e => e.Participations.Any(p => p.OrganizationId == organization));
        }

        if (request.After is { } position)
        {
            begunBefore = After(begunBefore, position);
        }

        var earlier = begunBefore.OrderBy(e => e.Schedule.SortAt).ThenBy(e => e.Id).Take(take)
            .Select(e => new EventKey { Id = e.Id, SortAt = e.Schedule.SortAt });
        return await earlier.Concat(starting).OrderBy(k => k.SortAt).ThenBy(k => k.Id).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The first events, in calendar order, that sort in [<paramref name="from"/>, <paramref name="before"/>) after
    /// <paramref name="after"/>. An organization's are walked in its participations' (organization, sort instant,
    /// event) index, which holds one row per event and the event's own sort instant (kept by triggers), joined to the
    /// events for the other filters.
    /// </summary>
    private IQueryable<EventKey> Page(IQueryable<Event> events, Guid? organization, DateTimeOffset? from, DateTimeOffset? before, Cursor? after, int take)
    {
        if (organization is { } id)
        {
            var participations = db.EventParticipations.Where(p => p.OrganizationId == id);
            if (from is { } lower)
            {
                participations = participations.Where(p => EF.Property<DateTimeOffset>(p, EventParticipationConfiguration.SortAt) >= lower);
            }

            if (before is { } upper)
            {
                participations = participations.Where(p => EF.Property<DateTimeOffset>(p, EventParticipationConfiguration.SortAt) < upper);
            }

            if (after is { } c)
            {
                participations = participations.Where(p => EF.Functions.GreaterThan(
                    ValueTuple.Create(EF.Property<DateTimeOffset>(p, EventParticipationConfiguration.SortAt), p.EventId), ValueTuple.Create(c.SortAt, c.Id)));
            }

            return participations
                .Join(events, p => p.EventId, e => e.Id, (p, e) => new EventKey { Id = p.EventId, SortAt = EF.Property<DateTimeOffset>(p, EventParticipationConfiguration.SortAt) })
                .OrderBy(k => k.SortAt).ThenBy(k => k.Id).Take(take);
        }

        if (from is { } start)
        {
            events = events.Where(e => e.Schedule.SortAt >= start);
        }

        if (before is { } end)
        {
            events = events.Where(e => e.Schedule.SortAt < end);
        }

        if (after is { } cursor)
        {
            events = After(events, cursor);
        }

        return events.OrderBy(e => e.Schedule.SortAt).ThenBy(e => e.Id).Take(take).Select(e => new EventKey { Id = e.Id, SortAt = e.Schedule.SortAt });
    }
}
