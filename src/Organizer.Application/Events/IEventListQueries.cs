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
    /// A page of <paramref name="events"/> in calendar order (sort instant, then id), narrowed by
    /// <see cref="EventPageRequest"/>. An organization's events are read from its participations, which keep each
    /// event's sort instant in the organization's own index; events from a date are read from that day on, with those
    /// begun earlier and still going on looked up by their span. Filtering every event by its organization or its end,
    /// in calendar order, walks all the events before the first match: seconds for a big organization.
    /// </summary>
    Task<List<EventKey>> PageAsync(IQueryable<Event> events, EventPageRequest request, CancellationToken cancellationToken);
}

/// <param name="Organization">Only events this organization takes part in, in any role.</param>
/// <param name="From">Only events that reach this date (already filtered in the events given: this bounds the read).</param>
/// <param name="To">Only events that start by this date (likewise).</param>
/// <param name="After">Only events after this position.</param>
/// <param name="Take">How many.</param>
public sealed record EventPageRequest(Guid? Organization, DateOnly? From, DateOnly? To, Cursor? After, int Take);

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
