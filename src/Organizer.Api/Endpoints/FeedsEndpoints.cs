using Mediator;
using Microsoft.AspNetCore.Mvc;
using Organizer.Api.Http;
using Organizer.Application.Feeds;
using Organizer.Application.Sharing;

namespace Organizer.Api.Endpoints;

/// <summary>Subscription feeds: iCalendar for calendar apps, Atom for feed readers. Rendered bytes are output-cached and evicted whenever the data changes.</summary>
public static class FeedsEndpoints
{
    public const string CachePolicy = "feeds";

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapFeedsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/feeds").WithTags("Calendar feeds").CacheOutput(CachePolicy);
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
        events.MapMethods("/{slug}.ics", GetAndHead, EventCalendar).WithName(nameof(EventCalendar)).CacheOutput(CachePolicy)
            .Produces(200, contentType: "text/calendar").ProducesProblem(StatusCodes.Status404NotFound);

    /// <param name="cancelled">'exclude' leaves cancelled events out (they are included by default, with STATUS:CANCELLED).</param>
    public static Task<IResult> AllFeed(HttpContext context, ISender sender, [FromQuery] string? cancelled, CancellationToken cancellationToken) =>
        Render(context, sender, new RenderFeedQuery(FeedScope.All, null, new FeedParameters(Cancelled: cancelled)), cancellationToken);

    public static Task<IResult> OrganizationFeed(HttpContext context, ISender sender, string slug, [FromQuery] string? cancelled, CancellationToken cancellationToken) =>
        Render(context, sender, new RenderFeedQuery(FeedScope.Organization, slug, new FeedParameters(Cancelled: cancelled)), cancellationToken);

    public static async Task<IResult> OrganizationAtomFeed(HttpContext context, ISender sender, string slug, CancellationToken cancellationToken) =>
        FeedResults.Feed(context, await FeedResults.RenderAsync(context, sender, new RenderOrganizationAtomQuery(slug), cancellationToken), FeedResults.AtomContentType);

    public static Task<IResult> CityFeed(HttpContext context, ISender sender, string city, [FromQuery] string? cancelled, CancellationToken cancellationToken) =>
        Render(context, sender, new RenderFeedQuery(FeedScope.City, city, new FeedParameters(Cancelled: cancelled)), cancellationToken);

    public static Task<IResult> KindFeed(HttpContext context, ISender sender, string kind, [FromQuery] string? cancelled, CancellationToken cancellationToken) =>
        Render(context, sender, new RenderFeedQuery(FeedScope.Kind, kind, new FeedParameters(Cancelled: cancelled)), cancellationToken);

    public static Task<IResult> PrivateFeed(HttpContext context, ISender sender, string secret, [FromQuery] string? cancelled, CancellationToken cancellationToken)
    {
        // A private feed must not sit in shared caches along the way.
        context.Response.Headers.CacheControl = "private, max-age=300";
        return Render(context, sender, new RenderFeedQuery(FeedScope.Private, secret, new FeedParameters(Cancelled: cancelled)), cancellationToken);
    }

    public static Task<IResult> FilteredFeed(HttpContext context, ISender sender, [AsParameters] FeedParameters parameters, CancellationToken cancellationToken) =>
        Render(context, sender, new RenderFeedQuery(FeedScope.Filtered, null, parameters), cancellationToken);

    public static Task<IResult> EventCalendar(HttpContext context, ISender sender, string slug, CancellationToken cancellationToken) =>
        Render(context, sender, new RenderFeedQuery(FeedScope.Event, slug, new FeedParameters()), cancellationToken);

    private static async Task<IResult> Render(HttpContext context, ISender sender, RenderFeedQuery query, CancellationToken cancellationToken) =>
        FeedResults.Feed(context, await FeedResults.RenderAsync(context, sender, query, cancellationToken));
}
