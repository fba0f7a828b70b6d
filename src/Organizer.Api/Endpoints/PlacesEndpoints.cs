using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Organizer.Api.Http;
using Organizer.Api.Security;
using Organizer.Application.Access;
using Organizer.Application.Places;

namespace Organizer.Api.Endpoints;

public static class PlacesEndpoints
{
    public static IEndpointRouteBuilder MapPlacesEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/places").WithTags("Places");
        group.MapGet("/", ListPlaces).WithName(nameof(ListPlaces))
            .WithSummary("Public places: those the admin recorded as public, and those a public event uses.");
        group.MapGet("/{slug}", GetPlace).WithName(nameof(GetPlace)).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGroup("").WithWriteAccess(AccessPolicies.OrganizationToken).MapPost("/", CreatePlace).WithName(nameof(CreatePlace))
            .WithSummary("Records a place that events can then name by slug (any token). The admin's places are public; an organization's are public once a public event uses them.").WithWriteErrors();
        return app;
    }

    public static async Task<Created<PlaceDto>> CreatePlace(HttpContext context, ISender sender, PlaceInput input, CancellationToken cancellationToken)
    {
        var place = await sender.Send(new CreatePlaceCommand(input, BearerTokenHandler.ActorOf(context)), cancellationToken);
        return TypedResults.Created(context.PathTo(nameof(GetPlace), new { slug = place.Slug }), place);
    }

    public static async Task<Ok<IReadOnlyList<PlaceDto>>> ListPlaces(ISender sender, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new ListPlacesQuery(), cancellationToken));

    public static async Task<Ok<PlaceDto>> GetPlace(HttpContext context, ISender sender, string slug, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new GetPlaceQuery(slug, BearerTokenHandler.ActorOf(context)), cancellationToken));
}
