using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Organizer.Api.Infrastructure;
using Organizer.Application.Common.Models;
using Organizer.Application.Events;

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
        group.MapGet("/{slug}", GetEvent).WithName(nameof(GetEvent))
            .WithSummary("One event with everything recorded about it.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <param name="from">First local date (YYYY-MM-DD, inclusive) an event must reach.</param>
    /// <param name="to">Last local date (YYYY-MM-DD, inclusive) an event may start on.</param>
    /// <param name="organization">Organization slug or alias slug, in any role.</param>
    /// <param name="limit">1–200, default 50.</param>
    /// <param name="cursor">The nextCursor of the previous page.</param>
    public static async Task<Ok<Page<EventSummaryDto>>> ListEvents(
        HttpContext context,
        ISender sender,
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] string? organization,
        [FromQuery] string? city,
        [FromQuery] string? country,
        [FromQuery] string? kind,
        [FromQuery] string? status,
        [FromQuery] string? tag,
        [FromQuery] string? limit,
        [FromQuery] string? cursor,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new ListEventsQuery(from, to, organization, city, country, kind, status, tag, limit, cursor, PublicUrl.BaseOf(context)), cancellationToken));

    public static async Task<Ok<EventDetailDto>> GetEvent(HttpContext context, ISender sender, string slug, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new GetEventQuery(slug, PublicUrl.BaseOf(context)), cancellationToken));
}
