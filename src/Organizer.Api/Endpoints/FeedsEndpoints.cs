using Mediator;
using Microsoft.AspNetCore.Mvc;
using Organizer.Api.Http;
using Organizer.Application.Feeds;
using Organizer.Application.Sharing;

namespace Organizer.Api.Endpoints;

/// <summary>Subscription feeds: iCalendar for calendar apps, Atom for feed readers. Rendered feeds are kept (FeedCache) until a change to what they show drops them.</summary>
public static class FeedsEndpoints
{
    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapFeedsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/feeds").WithTags("Calendar feeds").WithMetadata(new KeptFeeds.Marker());
        group.MapMethods("/all.ics", GetAndHead, AllFeed).WithName(nameof(AllFeed))
            .WithSummary("Every public event, past and upcoming.").Produces(200, contentType: "text/calendar");
        group.MapMethods("/organizations/{slug}.ics", GetAndHead, OrganizationFeed).WithName(nameof(OrganizationFeed))
            .WithSummary("Every event the organization takes part in, in any role; alias slugs work.")
            .Produces(200, contentType: "text/calendar").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapMethods("/organizations/{slug}.atom", GetAndHead, OrganizationAtomFeed).WithName(nameof(OrganizationAtomFeed))
            .WithSummary("The organization's upcoming and most recent actions as an Atom feed, for feed readers; alias slugs work.")
            .Produces(200, contentType: "application/atom+xml").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapMethods("/cities/{city}.ics", GetAndHead, CityFeed).WithName(nameof(CityFeed))
            .Produces(200, contentType: "text/calendar").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapMethods("/kinds/{kind}.ics", GetAndHead, KindFeed).WithName(nameof(KindFeed))
            .Produces(200, contentType: "text/calendar").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapMethods("/private/{secret}.ics", GetAndHead, PrivateFeed).WithName(nameof(PrivateFeed))
            .WithSummary("An organization's feed with its private and unlisted events, for calendar apps that cannot send a token.")
            .Produces(200, contentType: "text/calendar").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapMethods("/events.ics", GetAndHead, FilteredFeed).WithName(nameof(FilteredFeed))
            .WithSummary("Events matching the same filters as GET /api/events.")
            .Produces(200, contentType: "text/calendar").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>The "add to calendar" file of one event, mapped beside the JSON event.</summary>
    public static RouteHandlerBuilder MapEventCalendar(this RouteGroupBuilder events) =>
        events.MapMethods("/{slug}.ics", GetAndHead, EventCalendar).WithName(nameof(EventCalendar)).WithMetadata(new KeptFeeds.Marker())
            .Produces(200, contentType: "text/calendar").ProducesProblem(StatusCodes.Status404NotFound);

    /// <param name="cancelled">'exclude' leaves cancelled events out (they are included by default, with STATUS:CANCELLED).</param>
    public static Task<IResult> AllFeed(HttpContext context, [FromQuery] string? cancelled) =>
        Render(context, new RenderFeedQuery(FeedScope.All, null, new FeedParameters(Cancelled: cancelled)));

    public static Task<IResult> OrganizationFeed(HttpContext context, string slug, [FromQuery] string? cancelled) =>
        Render(context, new RenderFeedQuery(FeedScope.Organization, slug, new FeedParameters(Cancelled: cancelled)));

    public static Task<IResult> OrganizationAtomFeed(HttpContext context, string slug) =>
        FeedResults.ServeAsync(context, new RenderOrganizationAtomQuery(slug), FeedResults.AtomContentType);

    public static Task<IResult> CityFeed(HttpContext context, string city, [FromQuery] string? cancelled) =>
        Render(context, new RenderFeedQuery(FeedScope.City, city, new FeedParameters(Cancelled: cancelled)));

    public static Task<IResult> KindFeed(HttpContext context, string kind, [FromQuery] string? cancelled) =>
        Render(context, new RenderFeedQuery(FeedScope.Kind, kind, new FeedParameters(Cancelled: cancelled)));

    public static Task<IResult> PrivateFeed(HttpContext context, string secret, [FromQuery] string? cancelled)
    {
        // A private feed must not sit in shared caches along the way.
        context.Response.Headers.CacheControl = "private, max-age=300";
        return Render(context, new RenderFeedQuery(FeedScope.Private, secret, new FeedParameters(Cancelled: cancelled)));
    }

    public static Task<IResult> FilteredFeed(HttpContext context, [AsParameters] FeedParameters parameters) =>
        Render(context, new RenderFeedQuery(FeedScope.Filtered, null, parameters));

    public static Task<IResult> EventCalendar(HttpContext context, string slug) =>
        Render(context, new RenderFeedQuery(FeedScope.Event, slug, new FeedParameters()));

    private static Task<IResult> Render(HttpContext context, RenderFeedQuery query) =>
        FeedResults.ServeAsync(context, query);
}
