using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Organizer.Api.Http;
using Organizer.Application.Cities;

namespace Organizer.Api.Endpoints;

public static class CitiesEndpoints
{
    public static IEndpointRouteBuilder MapCitiesEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/cities").WithTags("Cities");
        group.MapGet("/", ListCities).WithName(nameof(ListCities)).WithSummary("Cities with recorded places, their event counts and feeds.");
        group.MapGet("/{city}", GetCity).WithName(nameof(GetCity)).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<CityDto>>> ListCities(HttpContext context, ISender sender, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new ListCitiesQuery(), cancellationToken));

    public static async Task<Ok<CityDto>> GetCity(HttpContext context, ISender sender, string city, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new GetCityQuery(city), cancellationToken));
}
