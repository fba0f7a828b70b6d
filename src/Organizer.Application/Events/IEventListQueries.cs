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
}

public sealed class RankedEvent
{
    public Guid Id { get; init; }
    public float Rank { get; init; }
}
