using System.Buffers;
using Mediator;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Net.Http.Headers;
using Organizer.Application.Feeds;

namespace Organizer.Api.Http;

public static class FeedResults
{
    public const string CalendarContentType = "text/calendar; charset=utf-8";

    public const string AtomContentType = "application/atom+xml; charset=utf-8";

    /// <summary>
    /// Serves the kept feed for this request, or renders it once for every request that asks for it meanwhile and
    /// keeps it (<see cref="FeedCache"/>). The render is not cancelled when the client that started it hangs up:
    /// other requests may be waiting for it.
    /// </summary>
    public static async Task<IResult> ServeAsync(HttpContext context, IQuery<RenderedFeed> query, string contentType = CalendarContentType)
    {
        var sender = context.RequestServices.GetRequiredService<ISender>();
        var entry = await context.RequestServices.GetRequiredService<FeedCache>()
            .GetOrRenderAsync(context, contentType, async () => await sender.Send(query, CancellationToken.None));
        return Feed(context, entry);
    }

    /// <summary>A kept feed, answered before authentication and the write-side middlewares, which a feed never needs.</summary>
    public static async Task ServeKeptAsync(HttpContext context, FeedCache.Entry entry, long age)
    {
        context.Response.Headers.Age = age.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Feed(context, entry).ExecuteAsync(context);
    }

    /// <summary>
    /// Serves a rendered feed with its validators, answering conditional requests with 304: If-None-Match first
    /// (the strong ETag is exact), If-Modified-Since only when no ETag was sent.
    /// </summary>
    private static IResult Feed(HttpContext context, FeedCache.Entry entry)
    {
        var response = context.Response;
        var compression = CompressionFor(context);
        var etag = RepresentationETag(context, entry.Feed.ETag, compression);
        response.Headers.ETag = etag;
        response.Headers.CacheControl = entry.CacheControl ?? PublicCacheControl;

        if (NotModified(context.Request, etag, entry.Feed.LastModified))
        {
            // RFC 9110 §15.4.5: a 304 carries the validators and caching fields, not the representation's metadata.
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        response.Headers.LastModified = entry.LastModified;
        response.Headers.ContentDisposition = entry.ContentDisposition;
        return new Body(entry, compression);
    }

    /// <summary>
    /// Five minutes fresh; and a shared cache (a CDN) may serve its copy for a day while we answer errors (RFC 5861),
    /// as the feed cache itself does while the database is down.
    /// </summary>
    private const string PublicCacheControl = "public, max-age=300, stale-if-error=86400";

    /// <summary>
    /// If-None-Match first (the strong ETag is exact), If-Modified-Since only when no ETag was sent. A poller sends
    /// back the one ETag it was given, so that is compared as it stands before any list is parsed.
    /// </summary>
    private static bool NotModified(HttpRequest request, string etag, DateTimeOffset lastModified)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count == 1 && string.Equals(ifNoneMatch[0], etag, StringComparison.Ordinal))
        {
            return true;
        }

        var typed = request.GetTypedHeaders();
        if (ifNoneMatch.Count > 0)
        {
            var current = EntityTagHeaderValue.Parse(etag);
            return typed.IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false));
        }

        return typed.IfModifiedSince is { } since && lastModified <= since;
    }

    /// <summary>
    /// Null when compression is off; with it on, the provider ASP.NET Core's response compression picks from the
    /// request's Accept-Encoding, or null when the client takes none (then the feed goes out plain).
    /// </summary>
    private static (ICompressionProvider? Provider, bool On) CompressionFor(HttpContext context) =>
        context.RequestServices.GetService(typeof(IResponseCompressionProvider)) is IResponseCompressionProvider compression
            ? (compression.CheckRequestAcceptsCompression(context) ? compression.GetCompressionProvider(context) : null, true)
            : (null, false);

    /// <summary>
    /// A strong ETag names one representation's exact bytes, so a gzip body and a plain one must not share it; and
    /// with compression on, every answer says it varies by Accept-Encoding, the plain one included, or a shared cache
    /// would hand gzip to a client that cannot read it.
    /// </summary>
    private static string RepresentationETag(HttpContext context, string etag, (ICompressionProvider? Provider, bool On) compression)
    {
        if (!compression.On)
        {
            return etag;
        }

        context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
        return compression.Provider is { } provider ? $"{etag[..^1]}-{provider.EncodingName}\"" : etag;
    }

    /// <summary>
    /// Writes a feed's pieces straight to the response, without joining them into one array, and flushes every
    /// <see cref="FlushEvery"/> bytes: a flush waits while the client is behind, so a slow subscriber holds no more
    /// than that in the server's buffers rather than a whole copy of an 8 MB feed.
    /// </summary>
    private sealed class Body(FeedCache.Entry entry, (ICompressionProvider? Provider, bool On) compression) : IResult
    {
        private const int FlushEvery = 64 * 1024;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.ContentType = entry.ContentType;
            IReadOnlyList<ReadOnlyMemory<byte>> pieces = entry.Feed.Content;
            long length = entry.Feed.Length;
            if (compression.Provider is { } provider)
            {
                // Compressed once per kept feed and encoding, not on every request. Setting Content-Encoding tells the
                // response compression middleware the body is already encoded.
                var encoded = await entry.EncodedAsync(provider);
                response.Headers.ContentEncoding = provider.EncodingName;
                pieces = [encoded];
                length = encoded.Length;
            }

            response.ContentLength = length;
            if (HttpMethods.IsHead(httpContext.Request.Method))
            {
                return;
            }

            var writer = response.BodyWriter;
            var unflushed = 0;
            foreach (var part in pieces)
            {
                for (var at = 0; at < part.Length; at += FlushEvery)
                {
                    var chunk = part.Slice(at, Math.Min(FlushEvery, part.Length - at));
                    writer.Write(chunk.Span);
                    unflushed += chunk.Length;
                    if (unflushed >= FlushEvery)
                    {
                        unflushed = 0;
                        if ((await writer.FlushAsync(httpContext.RequestAborted)).IsCanceled)
                        {
                            return;
                        }
                    }
                }
            }

            // The tail after the last flush must be flushed here: without it Kestrel never sent it (measured on an 8 MB feed).
            await writer.FlushAsync(httpContext.RequestAborted);
        }
    }
}
