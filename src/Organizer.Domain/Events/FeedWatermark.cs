namespace Organizer.Domain.Events;

/// <summary>
/// When anything a calendar feed shows last changed, deletions included. Feeds answer with it as Last-Modified,
/// so that it only ever moves forward, even when an event leaves a feed.
/// </summary>
public sealed class FeedWatermark
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public DateTimeOffset ChangedAt { get; set; }
}
