using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Organizer.Application.Search;

namespace Organizer.Api.Endpoints;

public static class SearchEndpoints
{
    public static IEndpointRouteBuilder MapSearchEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/search", Search).WithTags("Search").WithName(nameof(Search))
            .WithSummary("Full-text search over events, statements, resolutions and organizations; accents are ignored, best matches first. A common word is ranked within its matches nearest to today (rankedWithin).")
            .ProducesValidationProblem();
        return app;
    }

    public static async Task<Ok<SearchResultsDto>> Search(ISender sender, [AsParameters] SearchQuery query, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(query, cancellationToken));
}
