using Microsoft.Net.Http.Headers;
using Organizer.Application.Feeds;

namespace Organizer.Api.Http;

public static class FeedResults
{
    public const string CalendarContentType = "text/calendar; charset=utf-8";

    public const string AtomContentType = "application/atom+xml; charset=utf-8";

    /// <summary>
    /// Serves a rendered feed with its validators, answering conditional requests with 304: If-None-Match first
    /// (the strong ETag is exact), If-Modified-Since only when no ETag was sent.
    /// </summary>
    public static IResult Feed(HttpContext context, RenderedFeed feed, string contentType = CalendarContentType)
    {
        var response = context.Response;
        var headers = response.GetTypedHeaders();
        headers.ETag = EntityTagHeaderValue.Parse(feed.ETag);
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
            : TypedResults.Bytes(feed.Content, contentType);
    }
}
