using Microsoft.AspNetCore.OutputCaching;
using Organizer.Application.Feeds;

namespace Organizer.Api.Http;

/// <summary>
/// Drops the output-cached feeds a committed save changed: those that contained, or now contain, a changed event
/// (<see cref="FeedTags.Of"/>). A save that changed nothing a feed shows is never reported, so it drops nothing.
/// </summary>
public sealed class FeedCacheInvalidation(IOutputCacheStore cache) : IFeedInvalidation
{
    public async Task FeedsChangedAsync(FeedChange change, CancellationToken cancellationToken)
    {
        foreach (var tag in FeedTags.Of(change))
        {
            await cache.EvictByTagAsync(tag, cancellationToken);
        }
    }
}
