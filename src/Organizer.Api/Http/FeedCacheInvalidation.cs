using Microsoft.AspNetCore.OutputCaching;
using Organizer.Application.Feeds;

namespace Organizer.Api.Http;

/// <summary>
/// Drops the output-cached feeds when a committed save changed what they show. Every cached feed goes, whatever
/// changed: an organization's feed also shows events it was taken off only by this change, and a place or an
/// organization's name appears in feeds that no event id points to. Dropping fewer needs what each feed showed before
/// the change, not only what changed.
/// </summary>
public sealed class FeedCacheInvalidation(IOutputCacheStore cache) : IFeedInvalidation
{
    /// <summary>The output-cache tag every feed response carries.</summary>
    public const string Tag = "feeds";

    public Task FeedsChangedAsync(FeedChange change, CancellationToken cancellationToken) =>
        cache.EvictByTagAsync(Tag, cancellationToken).AsTask();
}
