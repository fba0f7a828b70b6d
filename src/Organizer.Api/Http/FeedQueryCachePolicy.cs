using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Primitives;

namespace Organizer.Api.Http;

/// <summary>
/// Varies a feed's cache entry by the query parameters its handler binds with <c>[FromQuery]</c>, and by no other:
/// a parameter the feed doesn't read (a cache buster such as <c>?cb=random</c>, or another feed's filter) gets the
/// cached bytes instead of a fresh render. Read from the handler's own signature so the list can't drift from what
/// the feed reads; a parameter the handler reads but this missed would be served the wrong cached feed.
/// With compression on, it varies by the encoding the response will get, so each representation is its own entry.
/// </summary>
public sealed class FeedQueryCachePolicy : IOutputCachePolicy
{
    private static readonly ConcurrentDictionary<MethodInfo, StringValues> QueryKeys = new();

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        // Without a handler to read, vary by everything: caching too little is slower, caching too much is wrong.
        context.CacheVaryByRules.QueryKeys = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>() is { } handler
            ? QueryKeys.GetOrAdd(handler, BoundQueryKeys)
            : "*";
        if (FeedResults.Encoding(context.HttpContext) is { } encoding)
        {
            context.CacheVaryByRules.VaryByValues["encoding"] = encoding;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// The query keys a handler binds: its <c>[FromQuery]</c> parameters, and the constructor parameters of an
    /// <c>[AsParameters]</c> record (feed routes' only other values are route values, which never vary the query).
    /// Empty when it binds none, so the query string is left out of the key.
    /// </summary>
    public static StringValues BoundQueryKeys(MethodInfo handler) =>
        new([.. handler.GetParameters().SelectMany(KeysOf)]);

    private static IEnumerable<string> KeysOf(ParameterInfo parameter) =>
        parameter.GetCustomAttribute<FromQueryAttribute>() is { } query ? [query.Name ?? parameter.Name!]
        : parameter.GetCustomAttribute<AsParametersAttribute>() is not null
            ? parameter.ParameterType.GetConstructors().MaxBy(c => c.GetParameters().Length)!.GetParameters().Select(p => p.Name!)
            : [];
}
