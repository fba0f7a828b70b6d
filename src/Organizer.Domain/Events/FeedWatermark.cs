namespace Organizer.Domain.Events;

/// <summary>
/// When anything a calendar feed shows last changed, deletions included. Feeds answer with the later of it and their
/// events' own last changes as Last-Modified, so that it only ever moves forward, even when an event leaves a feed.
/// A save that only adds new events leaves it alone: those events' own times move the feeds they enter.
/// </summary>
public sealed class FeedWatermark
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public DateTimeOffset ChangedAt { get; set; }
}
