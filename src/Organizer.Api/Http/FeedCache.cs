using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Feeds;

namespace Organizer.Api.Http;

/// <summary>
/// Rendered feeds, kept in memory until a committed change drops the tags of what they show (decision 014).
/// <para>
/// A kept feed is the list of pieces it was written in, and the pieces are the same arrays the fragment cache keeps
/// for each event, so a feed costs little beyond its events' text, and a hit is written to the socket piece by piece
/// with back-pressure. ASP.NET Core's output cache, used before, copied an 8 MB feed three times on every store and
/// once into the socket's buffers on every hit: under writes, memory grew past 1 GB (docs/performance.md).
/// </para>
/// <para>
/// A render a write overtook is never kept: a render takes a stamp (the number of evictions so far) before it reads
/// anything, and storing it is refused when one of its tags was evicted since. Stores and evictions take turns.
/// Concurrent misses of one feed share one render.
/// </para>
/// <para>
/// With several instances (<see cref="ISharedFeedVersions"/>, decision 015) the same rules hold across them: each keeps
/// its own copies, stamps and evictions are also taken in the shared store, and a copy is served only after one round
/// trip confirms none of its tags moved since it was stored. While the store is unreachable nothing is kept or served
/// from the cache: feeds are rendered per request, which is never stale. A feed that cannot be rendered because the
/// database is down is served from the last copy, however old (stale-if-error).
/// </para>
/// </summary>
public sealed class FeedCache(TimeProvider clock, IOptions<FeedOptions> options, EventFragments fragments, ISharedFeedVersions? shared = null)
{
    /// <summary>How many tags' eviction stamps are remembered before the memory is cleared.</summary>
    private const int RememberedTags = 10_000;

    /// <summary>A safety net for changes that bypass the app (a hand edit in the database): nothing is kept longer.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private static readonly ConcurrentDictionary<MethodInfo, string[]> QueryKeys = new();

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<Entry>> rendering = new(StringComparer.Ordinal);

    // Guarded by 'gate': which keys carry each tag, when each tag was last evicted, and how much is kept.
    private readonly Lock gate = new();
    private readonly Dictionary<string, HashSet<string>> keysByTag = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> evictedAt = new(StringComparer.Ordinal);
    private long evictions;
    private long forgottenBefore;
    private long keptBytes;
    private long droppedBytes;
    private readonly Queue<string> droppedOrder = new();

    // The shared store's state as this instance last saw it.
    private int sharedUnreachable;
    private (string Epoch, long Everything)? sharedSeen;

    /// <summary>A feed as it was rendered, with the headers that depend on who rendered it.</summary>
    public sealed record Entry(RenderedFeed Feed, string ContentType, string? CacheControl, DateTimeOffset StoredAt)
    {
        /// <summary>What the feed shows, and the tag every kept feed carries.</summary>
        public IReadOnlyList<string> Tags { get; } = [.. Feed.Tags, FeedTags.Every];

        /// <summary>The tags' numbers in the shared store when this copy was kept; null without one.</summary>
        public SharedVersions? Shared { get; set; }

        /// <summary>
        /// Evicted, or found outdated: never served as current, but still at hand for stale-if-error until a new render
        /// replaces it or the size bound pushes it out.
        /// </summary>
        public bool Dropped { get; set; }

        // Header values worked out once per kept feed rather than on every request for it.
        public string LastModified { get; } = HeaderUtilities.FormatDate(Feed.LastModified);

        public string ContentDisposition { get; } = new ContentDispositionHeaderValue("inline") { FileName = Feed.FileName }.ToString();

        private readonly ConcurrentDictionary<string, Lazy<Task<byte[]>>> encoded = new(StringComparer.Ordinal);

        /// <summary>The feed compressed by that provider, done once for this entry and encoding.</summary>
        public Task<byte[]> EncodedAsync(ICompressionProvider provider) =>
            encoded.GetOrAdd(provider.EncodingName, _ => new Lazy<Task<byte[]>>(() => EncodeAsync(provider))).Value;

        private async Task<byte[]> EncodeAsync(ICompressionProvider provider)
        {
            using var buffer = new MemoryStream();
            await using (var stream = provider.CreateStream(buffer))
            {
                foreach (var part in Feed.Content)
                {
                    await stream.WriteAsync(part);
                }
            }

            return buffer.ToArray();
        }
    }

    /// <summary>
    /// The kept feed for this request, or null. Requests with an Authorization header are never answered from the
    /// cache, so a feed is never mistaken for something a token could see.
    /// </summary>
    public async ValueTask<Entry?> FindAsync(HttpContext context) =>
        Cacheable(context) ? await FindAsync(KeyOf(context), context.RequestAborted) : null;

    /// <summary>Whole seconds since the feed was kept, for the Age header.</summary>
    public long AgeOf(Entry entry) => Math.Max(0, (long)(clock.GetUtcNow() - entry.StoredAt).TotalSeconds);

    private async ValueTask<Entry?> FindAsync(string key, CancellationToken cancellationToken)
    {
        if (!entries.TryGetValue(key, out var entry) || entry.Dropped || clock.GetUtcNow() - entry.StoredAt >= Lifetime)
        {
            return null;
        }

        if (shared is not null)
        {
            var now = await shared.ReadAsync(entry.Tags, cancellationToken);
            if (!SharedReachable(now is not null, null))
            {
                return null;
            }

            if (entry.Shared is not { } kept || !now!.SameAs(kept))
            {
                // Another instance's write moved one of its tags.
                lock (gate)
                {
                    if (entries.TryGetValue(key, out var current) && current == entry)
                    {
                        Unindex(key);
                    }
                }

                return null;
            }
        }

        FeedMetrics.CacheHits.Add(1);
        return entry;
    }

    /// <summary>
    /// The kept feed, or one rendered now (shared with every concurrent request for the same feed) and kept. When the
    /// render fails because the database cannot be reached, the last copy of the feed is served instead, if any.
    /// </summary>
    public async Task<Entry> GetOrRenderAsync(HttpContext context, string contentType, Func<Task<RenderedFeed>> render)
    {
        if (!Cacheable(context))
        {
            if (shared is not null)
            {
                var stamp = await shared.StampAsync(CancellationToken.None);
                SharedReachable(stamp is not null, stamp);
            }

            return new Entry(await render(), contentType, context.Response.Headers.CacheControl, clock.GetUtcNow());
        }

        var key = KeyOf(context);
        if (await FindAsync(key, context.RequestAborted) is { } kept)
        {
            return kept;
        }

        var mine = new TaskCompletionSource<Entry>(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = rendering.GetOrAdd(key, mine.Task);
        if (inFlight != mine.Task)
        {
            return await inFlight;
        }

        try
        {
            var entry = await RenderAndKeepAsync(key, contentType, context.Response.Headers.CacheControl, render);
            mine.SetResult(entry);
            return entry;
        }
        catch (DatabaseUnavailableException) when (entries.TryGetValue(key, out var stale))
        {
            // RFC 5861's stale-if-error: a subscriber's calendar keeps what it had rather than an error.
            FeedMetrics.StaleServed.Add(1);
            mine.SetResult(stale);
            return stale;
        }
        catch (Exception exception)
        {
            mine.SetException(exception);
            throw;
        }
        finally
        {
            rendering.TryRemove(new KeyValuePair<string, Task<Entry>>(key, mine.Task));
        }
    }

    private async Task<Entry> RenderAndKeepAsync(string key, string contentType, string? cacheControl, Func<Task<RenderedFeed>> render)
    {
        var stamp = Interlocked.Read(ref evictions);
        if (shared is null)
        {
            var entry = new Entry(await render(), contentType, cacheControl, clock.GetUtcNow());
            Keep(key, entry, stamp);
            return entry;
        }

        var sharedStamp = await shared.StampAsync(CancellationToken.None);
        var reachable = SharedReachable(sharedStamp is not null, sharedStamp);
        var rendered = new Entry(await render(), contentType, cacheControl, clock.GetUtcNow());
        if (reachable && await shared.ReadAsync(rendered.Tags, CancellationToken.None) is { } after && after.NotPast(sharedStamp!.Value))
        {
            rendered.Shared = after;
            Keep(key, rendered, stamp);
        }

        return rendered;
    }

    /// <summary>
    /// Keeps this instance in step with the shared store after each call to it. While the store is unreachable, the
    /// event text kept for renders is not trusted either: another instance may have renamed a place meanwhile. When it
    /// is back, every copy kept before goes (evictions may have been missed).
    /// </summary>
    private bool SharedReachable(bool reachable, SharedStamp? stamp)
    {
        if (!reachable)
        {
            Interlocked.Exchange(ref sharedUnreachable, 1);
            fragments.Forget();
            return false;
        }

        if (Interlocked.Exchange(ref sharedUnreachable, 0) == 1)
        {
            DropAll();
            fragments.Forget();
        }

        if (stamp is { } s)
        {
            lock (gate)
            {
                if (sharedSeen != (s.Epoch, s.Everything))
                {
                    // Another instance changed something many events show (or the store started over): event text
                    // written before may be out of date.
                    sharedSeen = (s.Epoch, s.Everything);
                    fragments.Forget();
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Drops every kept feed that carries one of the tags, here and (through the shared store) in every other instance,
    /// and refuses renders that started before.
    /// </summary>
    public async Task EvictAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        Evict(tags);
        if (shared is not null)
        {
            await shared.MoveAsync(tags, cancellationToken);
        }
    }

    private void Evict(IEnumerable<string> tags)
    {
        lock (gate)
        {
            foreach (var tag in tags)
            {
                if (evictedAt.Count >= RememberedTags)
                {
                    evictedAt.Clear();
                    forgottenBefore = evictions + 1;
                }

                evictedAt[tag] = Interlocked.Increment(ref evictions);
                if (keysByTag.Remove(tag, out var keys))
                {
                    foreach (var key in keys)
                    {
                        Unindex(key);
                    }
                }
            }
        }
    }

    private void DropAll()
    {
        lock (gate)
        {
            foreach (var key in entries.Keys)
            {
                Unindex(key);
            }
        }
    }

    private void Keep(string key, Entry entry, long stamp)
    {
        lock (gate)
        {
            var overtaken = stamp < forgottenBefore
                || entry.Tags.Any(t => evictedAt.TryGetValue(t, out var evicted) && evicted > stamp);
            if (overtaken)
            {
                return;
            }

            Remove(key);
            var limit = (long)options.Value.CacheMegabytes * 1024 * 1024;
            if (entry.Feed.Length > limit)
            {
                return;
            }

            // The oldest go first: they were rendered longest ago, and a feed in use is rendered again soon anyway.
            while (keptBytes + entry.Feed.Length > limit && !entries.IsEmpty)
            {
                Remove(entries.MinBy(e => e.Value.StoredAt).Key);
            }

            entries[key] = entry;
            keptBytes += entry.Feed.Length;
            foreach (var tag in entry.Tags)
            {
                if (!keysByTag.TryGetValue(tag, out var keys))
                {
                    keysByTag[tag] = keys = new HashSet<string>(StringComparer.Ordinal);
                }

                keys.Add(key);
            }
        }
    }

    /// <summary>
    /// Under the gate: marks the key's copy dropped and forgets its tags, keeping it for stale-if-error. Dropped copies
    /// may take a quarter of the cache's bound at most, the oldest dropped going first: beyond that, feeds nobody asks
    /// for again (a one-off filter) would hold memory only for the rare outage.
    /// </summary>
    private void Unindex(string key)
    {
        if (!entries.TryGetValue(key, out var entry) || entry.Dropped)
        {
            return;
        }

        entry.Dropped = true;
        RemoveTags(key, entry);
        droppedBytes += entry.Feed.Length;
        droppedOrder.Enqueue(key);
        if (droppedOrder.Count > 2 * entries.Count + 1024)
        {
            // Keys dropped, then kept again, are still queued: start the queue over from what is dropped now.
            var stillDropped = entries.Where(e => e.Value.Dropped).OrderBy(e => e.Value.StoredAt).Select(e => e.Key).ToList();
            droppedOrder.Clear();
            stillDropped.ForEach(droppedOrder.Enqueue);
        }

        var budget = (long)options.Value.CacheMegabytes * 1024 * 1024 / 4;
        while (droppedBytes > budget && droppedOrder.TryDequeue(out var oldest))
        {
            if (entries.TryGetValue(oldest, out var copy) && copy.Dropped)
            {
                Remove(oldest);
            }
        }
    }

    /// <summary>Under the gate.</summary>
    private void Remove(string key)
    {
        if (entries.TryRemove(key, out var removed))
        {
            keptBytes -= removed.Feed.Length;
            if (removed.Dropped)
            {
                droppedBytes -= removed.Feed.Length;
            }

            RemoveTags(key, removed);
        }
    }

    private void RemoveTags(string key, Entry entry)
    {
        foreach (var tag in entry.Tags)
        {
            if (keysByTag.TryGetValue(tag, out var keys) && keys.Remove(key) && keys.Count == 0)
            {
                keysByTag.Remove(tag);
            }
        }
    }

    private static bool Cacheable(HttpContext context) =>
        (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        && !context.Request.Headers.ContainsKey(HeaderNames.Authorization);

    /// <summary>
    /// What tells two requests for a feed apart. The host and scheme (feeds embed absolute links), the path compared
    /// case-sensitively (a private feed's secret is in it, and a secret differing only in case is a different, wrong
    /// one that must reach the handler for its 404), and the values of the query parameters the feed's handler binds,
    /// and of no other: a made-up parameter (<c>?cb=random</c>) gets the kept feed, not a render of its own.
    /// </summary>
    private static string KeyOf(HttpContext context)
    {
        var request = context.Request;
        var key = new System.Text.StringBuilder(128)
            .Append(request.Scheme).Append("://").Append(request.Host.Value?.ToLowerInvariant())
            .Append(request.PathBase.Value).Append(request.Path.Value);
        var bound = context.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>() is { } handler ? QueryKeys.GetOrAdd(handler, BoundQueryKeys) : [];
        foreach (var name in bound)
        {
            key.Append('\n').Append(name).Append('=');
            var values = request.Query[name];
            for (var i = 0; i < values.Count; i++)
            {
                key.Append(i == 0 ? "" : "\u001f").Append(values[i]);
            }
        }

        return key.ToString();
    }

    /// <summary>
    /// The query keys a handler binds: its <c>[FromQuery]</c> parameters, and the constructor parameters of an
    /// <c>[AsParameters]</c> record (feed routes' only other values are route values, which are in the path).
    /// Read from the handler's own signature so the list can't drift from what the feed reads.
    /// </summary>
    public static string[] BoundQueryKeys(MethodInfo handler) => [.. handler.GetParameters().SelectMany(KeysOf)];

    private static IEnumerable<string> KeysOf(ParameterInfo parameter) =>
        parameter.GetCustomAttribute<FromQueryAttribute>() is { } query ? [query.Name ?? parameter.Name!]
        : parameter.GetCustomAttribute<AsParametersAttribute>() is not null
            ? parameter.ParameterType.GetConstructors().MaxBy(c => c.GetParameters().Length)!.GetParameters().Select(p => p.Name!)
            : [];
}
