using System.Globalization;
using Microsoft.AspNetCore.OutputCaching;

namespace Organizer.Api.Http;

/// <summary>
/// Wraps the output-cache store so that a render older than an eviction of one of its tags is never stored.
/// <para>
/// Without it a feed can stay stale for its whole lifetime: a render reads the database, a write commits and evicts
/// the feed's tags, and then the render finishes and stores what it read before the write. Each request therefore
/// records, before its handler reads anything (<see cref="StampTag"/>), how many evictions had happened; storing its
/// response is refused when one of its tags was evicted since. Stores and evictions take turns, so no eviction can
/// fall between that check and the store.
/// </para>
/// </summary>
public sealed class FreshOnlyCacheStore(IOutputCacheStore inner) : IOutputCacheStore
{
    private const string StampPrefix = "@stamp:";

    /// <summary>How many tags' eviction stamps are remembered before the memory is cleared.</summary>
    private const int RememberedTags = 10_000;

    private readonly SemaphoreSlim turn = new(1, 1);
    private readonly Dictionary<string, long> evictedAt = new(StringComparer.Ordinal);
    private long evictions;

    /// <summary>Renders stamped before this are refused: the evictions they might have missed are forgotten.</summary>
    private long forgottenBefore;

    /// <summary>The tag a request carries to say how many evictions had happened when it started.</summary>
    public string StampTag() => StampPrefix + Interlocked.Read(ref evictions).ToString(CultureInfo.InvariantCulture);

    public async ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        await turn.WaitAsync(CancellationToken.None);
        try
        {
            if (evictedAt.Count >= RememberedTags)
            {
                evictedAt.Clear();
                forgottenBefore = evictions + 1;
            }

            evictedAt[tag] = Interlocked.Increment(ref evictions);
            await inner.EvictByTagAsync(tag, cancellationToken);
        }
        finally
        {
            turn.Release();
        }
    }

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        var stamp = tags?.FirstOrDefault(t => t.StartsWith(StampPrefix, StringComparison.Ordinal));
        if (stamp is null)
        {
            await inner.SetAsync(key, value, tags, validFor, cancellationToken);
            return;
        }

        var startedAfter = long.Parse(stamp.AsSpan(StampPrefix.Length), CultureInfo.InvariantCulture);
        var ownTags = tags!.Where(t => !ReferenceEquals(t, stamp)).ToArray();
        await turn.WaitAsync(cancellationToken);
        try
        {
            var stale = startedAfter < forgottenBefore
                || ownTags.Any(t => evictedAt.TryGetValue(t, out var evicted) && evicted > startedAfter);
            if (!stale)
            {
                await inner.SetAsync(key, value, ownTags, validFor, cancellationToken);
            }
        }
        finally
        {
            turn.Release();
        }
    }
}

public static class FreshOnlyCacheStoreRegistration
{
    /// <summary>Puts <see cref="FreshOnlyCacheStore"/> around whatever output-cache store is registered.</summary>
    public static IServiceCollection AddFreshOnlyOutputCacheStore(this IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IOutputCacheStore));
        services.Remove(registered);
        services.AddSingleton(provider => new FreshOnlyCacheStore(
            registered.ImplementationInstance as IOutputCacheStore
            ?? (IOutputCacheStore?)registered.ImplementationFactory?.Invoke(provider)
            ?? (IOutputCacheStore)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!)));
        services.AddSingleton<IOutputCacheStore>(provider => provider.GetRequiredService<FreshOnlyCacheStore>());
        return services;
    }
}
