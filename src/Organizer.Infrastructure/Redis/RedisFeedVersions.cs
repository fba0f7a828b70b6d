using Organizer.Application.Feeds;
using StackExchange.Redis;

namespace Organizer.Infrastructure.Redis;

/// <summary>
/// <see cref="ISharedFeedVersions"/> in Redis: a counter of evictions, each tag's last eviction number, and an epoch.
/// Keys share one hash slot (<c>{feeds}</c>), so each script runs on one node of a cluster too.
/// </summary>
public sealed class RedisFeedVersions : ISharedFeedVersions
{
    /// <summary>
    /// Longer than a kept feed lives (one hour): a tag's number may then be forgotten, since no feed that recorded it
    /// is still kept, and the millions of per-event tags don't pile up.
    /// </summary>
    private static readonly TimeSpan TagLifetime = TimeSpan.FromHours(2);

    private static readonly LuaScript Stamp = LuaScript.Prepare("""
        local epoch = redis.call('GET', @epoch)
        if not epoch then
          redis.call('SET', @epoch, @fresh, 'NX')
          epoch = redis.call('GET', @epoch)
        end
        return { epoch, redis.call('GET', @evictions) or '0', redis.call('GET', @everything) or '0' }
        """);

    // KEYS[1] is the counter, the rest are the tags; ARGV[1] is the tags' lifetime in seconds.
    private const string Move = """
        local n = redis.call('INCR', KEYS[1])
        for i = 2, #KEYS do
          redis.call('SET', KEYS[i], n, 'EX', ARGV[1])
        end
        return n
        """;

    private readonly RedisConnection redis;
    private readonly RedisKey epochKey;
    private readonly RedisKey evictionsKey;

    /// <summary>1 while this instance committed writes whose moves Redis never got.</summary>
    private int movesLost;

    public RedisFeedVersions(RedisConnection redis)
    {
        this.redis = redis;
        epochKey = redis.KeyPrefix + "{feeds}:epoch";
        evictionsKey = redis.KeyPrefix + "{feeds}:evictions";
        // The other instances may be serving feeds this instance's writes changed: make them drop everything now,
        // not at this instance's next feed request or write.
        redis.Restored += () => _ = ResetIfMovesLostAsync();
    }

    public async Task<SharedStamp?> StampAsync(CancellationToken cancellationToken)
    {
        await ResetIfMovesLostAsync();
        return await StampOnceAsync();
    }

    private async Task<SharedStamp?> StampOnceAsync() => await Guarded<SharedStamp?>(async db =>
    {
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(Stamp, new
        {
            epoch = epochKey,
            evictions = evictionsKey,
            everything = TagKey(FeedTags.Every),
            fresh = Guid.NewGuid().ToString("N"),
        }))!;
        return new SharedStamp((string)result[0]!, long.Parse((string)result[1]!), long.Parse((string)result[2]!));
    }, null);

    public async Task<SharedVersions?> ReadAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken) => await Guarded<SharedVersions?>(async db =>
    {
        var keys = new RedisKey[tags.Count + 1];
        keys[0] = epochKey;
        for (var i = 0; i < tags.Count; i++)
        {
            keys[i + 1] = TagKey(tags[i]);
        }

        var values = await db.StringGetAsync(keys);
        var numbers = new long[tags.Count];
        for (var i = 0; i < numbers.Length; i++)
        {
            numbers[i] = values[i + 1].IsNull ? 0 : (long)values[i + 1];
        }

        // A missing epoch matches no kept feed: every feed was stamped with one.
        return new SharedVersions(values[0].IsNull ? "" : (string)values[0]!, numbers);
    }, null);

    public async Task MoveAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        await ResetIfMovesLostAsync();
        if (!await MoveOnceAsync(tags))
        {
            Interlocked.Exchange(ref movesLost, 1);
        }
    }

    private async Task<bool> MoveOnceAsync(IReadOnlyList<string> tags) => await Guarded(async db =>
    {
        var keys = new RedisKey[tags.Count + 1];
        keys[0] = evictionsKey;
        for (var i = 0; i < tags.Count; i++)
        {
            keys[i + 1] = TagKey(tags[i]);
        }

        await db.ScriptEvaluateAsync(Move, keys, [(long)TagLifetime.TotalSeconds]);
        return true;
    }, false);

    private async Task ResetIfMovesLostAsync()
    {
        if (Volatile.Read(ref movesLost) == 1 && await Guarded(async db =>
            {
                await db.StringSetAsync(epochKey, Guid.NewGuid().ToString("N"));
                return true;
            }, false))
        {
            Interlocked.Exchange(ref movesLost, 0);
        }
    }

    private RedisKey TagKey(string tag) => redis.KeyPrefix + "{feeds}:tag:" + tag;

    private async Task<T> Guarded<T>(Func<IDatabase, Task<T>> command, T unavailable)
    {
        if (!redis.IsAvailable)
        {
            return unavailable;
        }

        try
        {
            return await command(redis.Database);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            redis.ReportFailure(e);
            return unavailable;
        }
    }
}
