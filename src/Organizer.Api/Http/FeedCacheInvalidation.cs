using Organizer.Application.Feeds;

namespace Organizer.Api.Http;

/// <summary>
/// Drops the kept feeds a committed save changed: those that contained, or now contain, a changed event
/// (<see cref="FeedTags.Of"/>), in every instance. A save that changed nothing a feed shows is never reported, so it
/// drops nothing.
/// </summary>
public sealed class FeedCacheInvalidation(FeedCache cache) : IFeedInvalidation
{
    public Task FeedsChangedAsync(FeedChange change, CancellationToken cancellationToken) =>
        cache.EvictAsync(FeedTags.Of(change), cancellationToken);
}
