using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Organizer.Application.Feeds;

/// <summary>One event's VEVENT, as written, with the zone its times need a VTIMEZONE for and the SHA-256 of the text.</summary>
public sealed record EventFragment(byte[] Text, ZoneUse? Zone, byte[] Digest);

/// <summary>
/// Everything a VEVENT's text depends on. The event's version (xmin) moves with every change to the event, its
/// organizations, speakers and sources; the parent's version covers a renamed assembly, which its sessions name; the
/// generation covers places, organizations and documents, which many events show; the link base covers the host.
/// A series' text also depends on whether the feed leaves cancelled events out: its cancelled occurrences are then
/// removed dates (<paramref name="WithoutCancelledOccurrences"/>, only ever set for a series); and on the last year its
/// misread occurrences are written out for (<paramref name="Horizon"/>, from the year it is written in; 0 for an event).
/// </summary>
public readonly record struct FragmentKey(Guid EventId, uint Version, uint ParentVersion, long Generation, string LinkBase, bool WithoutCancelledOccurrences = false, int Horizon = 0);

/// <summary>
/// Each event's VEVENT text, kept between renders of any feed, so that a feed rendered again after a write writes
/// only the events that changed and copies the rest. Bounded by <see cref="FeedOptions.FragmentCacheMegabytes"/>.
/// <para>
/// A render takes <see cref="Generation"/> before it reads anything and files what it writes under it. A change to
/// something many events show moves the generation once it commits, so text written from data read before that
/// commit is filed where no later render looks. Changes to one event need nothing: its version is in the key.
/// </para>
/// </summary>
public sealed class EventFragments : IFeedInvalidation, IDisposable
{
    private readonly MemoryCache cache;
    private long generation;

    public EventFragments(IOptions<FeedOptions> options)
    {
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = (long)options.Value.FragmentCacheMegabytes * 1024 * 1024 });
    }

    public long Generation => Interlocked.Read(ref generation);

    public EventFragment? Find(FragmentKey key) => cache.TryGetValue(key, out EventFragment? fragment) ? fragment : null;

    public void Keep(FragmentKey key, EventFragment fragment) =>
        cache.Set(key, fragment, new MemoryCacheEntryOptions { Size = fragment.Text.Length + 128, SlidingExpiration = TimeSpan.FromHours(6) });

    public Task FeedsChangedAsync(FeedChange change, CancellationToken cancellationToken)
    {
        if (change.BeyondEvents)
        {
            Forget();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Files later text under a new generation, so nothing written before is reused: for a change this process did
    /// not commit itself (another instance's, learnt through the shared feed versions) or may not have heard of.
    /// </summary>
    public void Forget() => Interlocked.Increment(ref generation);

    public void Dispose() => cache.Dispose();
}
