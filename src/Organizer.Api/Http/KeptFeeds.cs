namespace Organizer.Api.Http;

/// <summary>
/// Answers a request for a feed that is kept (<see cref="FeedCache"/>) before authentication, the rate limiter and the
/// write-side middlewares run: a feed never needs them, and a 304 is then little more than a dictionary lookup.
/// Everything else, a feed not kept included, goes on down the pipeline to its endpoint.
/// </summary>
public sealed class KeptFeeds(RequestDelegate next, FeedCache cache)
{
    /// <summary>The metadata that marks an endpoint as a feed whose answers are kept.</summary>
    public sealed class Marker;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<Marker>() is not null && await cache.FindAsync(context) is { } kept)
        {
            await FeedResults.ServeKeptAsync(context, kept, cache.AgeOf(kept));
            return;
        }

        await next(context);
    }
}
