using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Organizer.Api.Http;
using Organizer.Api.Security;
using Organizer.Domain.Events;
using Organizer.Application.Access;
using Organizer.Application.Common;
using Organizer.Application.Common.Links;
using Organizer.Application.Common.Models;
using Organizer.Application.Events;
using Organizer.Application.Events.Series;
using Organizer.Application.Sharing;

namespace Organizer.Api.Endpoints;

public static class EventsEndpoints
{
    public static IEndpointRouteBuilder MapEventsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/events").WithTags("Events");
        group.MapGet("/", ListEvents).WithName(nameof(ListEvents))
            .WithSummary("Public events, oldest first, filtered and paged with a cursor.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapEventCalendar();
        MapWrites(group);
        group.MapGet("/{slug}", GetEvent).WithName(nameof(GetEvent))
            .WithSummary("One event with everything recorded about it; a schema.org Event in JSON-LD with Accept: application/ld+json.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{slug}/occurrences/{occurrence}", GetOccurrence).WithName(nameof(GetOccurrence))
            .WithSummary("One occurrence of a series, named by the date its rule gives it (YYYY-MM-DD), as it now is.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<Page<EventSummaryDto>>> ListEvents(
        HttpContext context, ISender sender, [AsParameters] ListEventsParameters parameters, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new ListEventsQuery(parameters, BearerTokenHandler.ActorOf(context)), cancellationToken));

    public static async Task<Results<Ok<EventDetailDto>, JsonHttpResult<EventJsonLd>>> GetEvent(HttpContext context, ISender sender, ILinks links, string slug, CancellationToken cancellationToken)
    {
        // One URL, two representations: shared caches must not hand the JSON-LD to a JSON client or the reverse.
        context.Response.Headers.Vary = HeaderNames.Accept;
        var e = await sender.Send(new GetEventQuery(slug, BearerTokenHandler.ActorOf(context)), cancellationToken);
        return ContentNegotiation.Prefers(context.Request, EventJsonLd.ContentType)
            ? TypedResults.Json(EventJsonLd.From(e, links), EventJsonLd.SerializerOptions, EventJsonLd.ContentType)
            : TypedResults.Ok(e);
    }

    private static void MapWrites(RouteGroupBuilder group)
    {
        var submissions = group.MapGroup("").WithWriteAccess(AccessPolicies.AnonymousSubmission);
        var writes = group.MapGroup("").WithWriteAccess(AccessPolicies.OrganizationToken);
        submissions.MapPost("/", CreateEvent).WithName(nameof(CreateEvent))
            .WithSummary("Posts an event hosted by the token's organization (the admin names a host). 201 with Location and ETag.")
            .Accepts<EventInput>("application/json").WithWriteErrors();
        writes.MapPut("/{slug}", ReplaceEvent).WithName(nameof(ReplaceEvent))
            .WithSummary("Replaces an event. Send the ETag in If-Match to refuse to overwrite someone else's change (412).")
            .Accepts<EventInput>("application/json").WithWriteErrors();
        writes.MapPatch("/{slug}", PatchEvent).WithName(nameof(PatchEvent))
            .WithSummary("Changes some fields of an event (JSON Merge Patch, application/merge-patch+json).")
            .Accepts<EventInput>(MergePatch.ContentType).WithWriteErrors();
        writes.MapPost("/{slug}/cancel", CancelEvent).WithName(nameof(CancelEvent))
            .WithSummary("Cancels an event; it stays in feeds as STATUS:CANCELLED.").WithWriteErrors();
        writes.MapPost("/{slug}/postpone", PostponeEvent).WithName(nameof(PostponeEvent))
            .WithSummary("Postpones an event; feeds show it as TENTATIVE.").WithWriteErrors();
        writes.MapPost("/{slug}/approve", ApproveEvent).WithName(nameof(ApproveEvent))
            .WithSummary("Approves a pending anonymous submission (admin).").WithWriteErrors().RequireAdmin(AdminOnly.ReviewSubmission);
        writes.MapPost("/{slug}/reject", RejectEvent).WithName(nameof(RejectEvent))
            .WithSummary("Rejects (deletes) a pending anonymous submission (admin).").WithWriteErrors().RequireAdmin(AdminOnly.ReviewSubmission);
        writes.MapDelete("/{slug}", DeleteEvent).WithName(nameof(DeleteEvent))
            .WithSummary("Deletes an event (admin).").WithWriteErrors().RequireAdmin(AdminOnly.DeleteEvent);
        writes.MapDelete("/{slug}/organizations/{organization}", WithdrawOrganization).WithName(nameof(WithdrawOrganization))
            .WithSummary("Takes an organization off an event: its own token, the host's or the admin's (not the host itself).").WithWriteErrors();
        writes.MapPatch("/{slug}/occurrences/{occurrence}", PatchOccurrence).WithName(nameof(PatchOccurrence))
            .WithSummary("Changes one occurrence of a series: its time, place, title or status (JSON Merge Patch; null puts a field back to the series').")
            .Accepts<OccurrenceInput>(MergePatch.ContentType).WithWriteErrors();
        writes.MapDelete("/{slug}/occurrences/{occurrence}", RemoveOccurrence).WithName(nameof(RemoveOccurrence))
            .WithSummary("Removes one date from a series (EXDATE), with whatever it had of its own.").WithWriteErrors();
        writes.MapPost("/{slug}/end-series", EndSeries).WithName(nameof(EndSeries))
            .WithSummary("Ends a series before a date (\"this and following\"): its last occurrence is the last one before 'from'.")
            .Accepts<EndSeriesInput>("application/json").WithWriteErrors();
        writes.MapPost("/{slug}/resolutions", AddResolution).WithName(nameof(AddResolution))
            .WithSummary("Records a resolution of an assembly or conference.").WithWriteErrors();
    }

    public static async Task<Created<EventDetailDto>> CreateEvent(HttpContext context, ISender sender, EventInput input, CancellationToken cancellationToken)
    {
        var written = await sender.Send(new CreateEventCommand(input, BearerTokenHandler.ActorOf(context)), cancellationToken);
        return TypedResults.Created(context.PathTo(nameof(GetEvent), new { slug = written.Event.Slug }), Answer(context, written));
    }

    public static async Task<Ok<EventDetailDto>> ReplaceEvent(HttpContext context, ISender sender, string slug, EventInput input, CancellationToken cancellationToken) =>
        TypedResults.Ok(Answer(context, await sender.Send(
            new UpdateEventCommand(slug, input, EventVersions.Expected(context.Request), BearerTokenHandler.ActorOf(context)), cancellationToken)));

    public static async Task<Ok<EventDetailDto>> PatchEvent(HttpContext context, ISender sender, string slug, CancellationToken cancellationToken)
    {
        var patch = await MergePatchReader.ReadAsync(context.Request);
        return TypedResults.Ok(Answer(context, await sender.Send(
            new PatchEventCommand(slug, patch, EventVersions.Expected(context.Request), BearerTokenHandler.ActorOf(context)), cancellationToken)));
    }

    public static async Task<Ok<SeriesOccurrenceDto>> GetOccurrence(HttpContext context, ISender sender, string slug, string occurrence, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new GetOccurrenceQuery(slug, occurrence, BearerTokenHandler.ActorOf(context)), cancellationToken));

    public static async Task<Ok<SeriesOccurrenceDto>> PatchOccurrence(HttpContext context, ISender sender, string slug, string occurrence, CancellationToken cancellationToken)
    {
        var patch = await MergePatchReader.ReadAsync(context.Request);
        var written = await sender.Send(
            new PatchOccurrenceCommand(slug, occurrence, patch, EventVersions.Expected(context.Request), BearerTokenHandler.ActorOf(context)), cancellationToken);
        context.Response.Headers.ETag = EventVersions.ETag(written.Version);
        return TypedResults.Ok(written.Occurrence);
    }

    public static async Task<NoContent> RemoveOccurrence(HttpContext context, ISender sender, string slug, string occurrence, CancellationToken cancellationToken)
    {
        var version = await sender.Send(
            new RemoveOccurrenceCommand(slug, occurrence, EventVersions.Expected(context.Request), BearerTokenHandler.ActorOf(context)), cancellationToken);
        context.Response.Headers.ETag = EventVersions.ETag(version);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<EventDetailDto>> EndSeries(HttpContext context, ISender sender, string slug, EndSeriesInput input, CancellationToken cancellationToken) =>
        TypedResults.Ok(Answer(context, await sender.Send(
            new EndSeriesCommand(slug, input, EventVersions.Expected(context.Request), BearerTokenHandler.ActorOf(context)), cancellationToken)));

    public sealed record StatusChangeInput(string? Reason);

    public static Task<Ok<EventDetailDto>> CancelEvent(HttpContext context, ISender sender, string slug, StatusChangeInput input, CancellationToken cancellationToken) =>
        ChangeStatus(context, sender, slug, EventStatus.Cancelled, input, cancellationToken);

    public static Task<Ok<EventDetailDto>> PostponeEvent(HttpContext context, ISender sender, string slug, StatusChangeInput? input, CancellationToken cancellationToken) =>
        ChangeStatus(context, sender, slug, EventStatus.Postponed, input, cancellationToken);

    public static async Task<Ok<EventDetailDto>> ApproveEvent(HttpContext context, ISender sender, string slug, CancellationToken cancellationToken) =>
        TypedResults.Ok(Answer(context, (await sender.Send(new ReviewSubmissionCommand(slug, Approve: true, BearerTokenHandler.ActorOf(context)), cancellationToken))!));

    public static async Task<NoContent> RejectEvent(HttpContext context, ISender sender, string slug, CancellationToken cancellationToken)
    {
        await sender.Send(new ReviewSubmissionCommand(slug, Approve: false, BearerTokenHandler.ActorOf(context)), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> DeleteEvent(HttpContext context, ISender sender, string slug, CancellationToken cancellationToken)
    {
        await sender.Send(new DeleteEventCommand(slug, BearerTokenHandler.ActorOf(context)), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> WithdrawOrganization(HttpContext context, ISender sender, string slug, string organization, CancellationToken cancellationToken)
    {
        await sender.Send(new WithdrawOrganizationCommand(slug, organization, BearerTokenHandler.ActorOf(context)), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Created<ResolutionDto>> AddResolution(HttpContext context, ISender sender, string slug, ResolutionInput input, CancellationToken cancellationToken)
    {
        var resolution = await sender.Send(new AddResolutionCommand(slug, input, BearerTokenHandler.ActorOf(context)), cancellationToken);
        return TypedResults.Created(context.PathTo(nameof(GetEvent), new { slug }), resolution);
    }

    private static async Task<Ok<EventDetailDto>> ChangeStatus(HttpContext context, ISender sender, string slug, EventStatus status, StatusChangeInput? input, CancellationToken cancellationToken) =>
        TypedResults.Ok(Answer(context, await sender.Send(
            new ChangeEventStatusCommand(slug, status, input?.Reason, EventVersions.Expected(context.Request), BearerTokenHandler.ActorOf(context)), cancellationToken)));

    /// <summary>A written event's body, with its new version as the ETag.</summary>
    private static EventDetailDto Answer(HttpContext context, WrittenEvent written)
    {
        context.Response.Headers.ETag = EventVersions.ETag(written.Version);
        return written.Event;
    }
}
