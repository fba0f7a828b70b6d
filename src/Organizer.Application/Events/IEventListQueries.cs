using Organizer.Application.Common.Models;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

/// <summary>
/// What the events list asks of PostgreSQL that LINQ has no provider-neutral words for: full-text matching and
/// ranking over the stored search vector, and row-value comparisons, which keyset pages need to stay one index range.
/// Implemented in Infrastructure; each returns a query for the handler to go on composing.
/// </summary>
public interface IEventListQueries
{
    /// <summary>The events whose title or description match <paramref name="words"/> (web-search syntax, accents ignored).</summary>
    IQueryable<Event> Matching(IQueryable<Event> events, string words);

    /// <summary>The events after <paramref name="cursor"/> in calendar order: sort instant, then id.</summary>
    IQueryable<Event> After(IQueryable<Event> events, Cursor cursor);

    /// <summary>
    /// Each event's id with its rank for <paramref name="words"/>, only those after <paramref name="cursor"/> in
    /// best-match order: rank descending, then id.
    /// </summary>
    IQueryable<RankedEvent> Ranked(IQueryable<Event> events, string words, RelevanceCursor? cursor);

    /// <summary>
    /// The first <paramref name="take"/> of <paramref name="events"/> in calendar order, when they are already narrowed
    /// to those that reach <paramref name="from"/>. Those that start on or after it are read from the date index from
    /// that day on; those that began earlier and are still going on are looked up by their span. Without this, a list
    /// from a date walks every event before it, because where an event ends says nothing about where it sorts.
    /// </summary>
    Task<List<EventKey>> FirstReachingAsync(IQueryable<Event> events, DateOnly from, DateOnly? to, int take, CancellationToken cancellationToken);
}

public sealed class EventKey
{
    public Guid Id { get; init; }
    public DateTimeOffset SortAt { get; init; }
}

public sealed class RankedEvent
{
    public Guid Id { get; init; }
    public float Rank { get; init; }
}
