using Mediator;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Net.Http.Headers;
using Organizer.Application.Feeds;

namespace Organizer.Api.Http;

public static class FeedResults
{
    public const string CalendarContentType = "text/calendar; charset=utf-8";

    public const string AtomContentType = "application/atom+xml; charset=utf-8";

    /// <summary>
    /// Renders a feed, stamped before anything is read so that a render a write overtook is never stored
    /// (<see cref="FreshOnlyCacheStore"/>). Only requests the cache could not answer get here, so cached ones pay nothing.
    /// </summary>
    public static async Task<RenderedFeed> RenderAsync(HttpContext context, ISender sender, IQuery<RenderedFeed> query, CancellationToken cancellationToken)
    {
        if (context.Features.Get<IOutputCacheFeature>() is { } caching && context.RequestServices.GetService<FreshOnlyCacheStore>() is { } store)
        {
            caching.Context.Tags.Add(store.StampTag());
        }

        return await sender.Send(query, cancellationToken);
    }

    /// <summary>
    /// Serves a rendered feed with its validators, answering conditional requests with 304: If-None-Match first
    /// (the strong ETag is exact), If-Modified-Since only when no ETag was sent. The feed's tags go on the cached copy,
    /// so that only a change to what it shows drops it.
    /// </summary>
    public static IResult Feed(HttpContext context, RenderedFeed feed, string contentType = CalendarContentType)
    {
        context.Features.Get<IOutputCacheFeature>()?.Context.Tags.UnionWith(feed.Tags);

        var response = context.Response;
        var headers = response.GetTypedHeaders();
        headers.ETag = EntityTagHeaderValue.Parse(RepresentationETag(context, feed.ETag));
        headers.LastModified = feed.LastModified;
        if (!response.Headers.ContainsKey(HeaderNames.CacheControl))
        {
            headers.CacheControl = new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromMinutes(5) };
        }
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("inline") { FileName = feed.FileName }.ToString();

        var request = context.Request.GetTypedHeaders();
        var notModified = request.IfNoneMatch.Count > 0
            ? request.IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(headers.ETag, useStrongComparison: false))
            : request.IfModifiedSince is { } since && feed.LastModified <= since;

        return notModified
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : new Body(feed, contentType);
    }

    /// <summary>
    /// The encoding a feed response gets when compression is switched on: "identity" for a client that takes none.
    /// Null when compression is off.
    /// </summary>
    public static string? Encoding(HttpContext context) =>
        context.RequestServices.GetService<IResponseCompressionProvider>() is { } compression
            ? compression.CheckRequestAcceptsCompression(context) && compression.GetCompressionProvider(context) is { } provider
                ? provider.EncodingName
                : "identity"
            : null;

    /// <summary>
    /// A strong ETag names one representation's exact bytes, so a gzip body and a plain one must not share it; and
    /// with compression on, every answer says it varies by Accept-Encoding, the plain one included, or a shared cache
    /// would hand gzip to a client that cannot read it.
    /// </summary>
    private static string RepresentationETag(HttpContext context, string etag)
    {
        if (Encoding(context) is not { } encoding)
        {
            return etag;
        }

        context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
        return encoding == "identity" ? etag : $"{etag[..^1]}-{encoding}\"";
    }

    /// <summary>Writes a feed's pieces straight to the response, without first joining them into one array.</summary>
    private sealed class Body(RenderedFeed feed, string contentType) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.ContentType = contentType;
            response.ContentLength = feed.Length;
            if (HttpMethods.IsHead(httpContext.Request.Method))
            {
                return;
            }

            foreach (var part in feed.Content)
            {
                await response.BodyWriter.WriteAsync(part, httpContext.RequestAborted);
            }
        }
    }
}
