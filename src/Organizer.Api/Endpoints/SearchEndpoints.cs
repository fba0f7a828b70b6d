using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Organizer.Application.Search;

namespace Organizer.Api.Endpoints;

public static class SearchEndpoints
{
    public static IEndpointRouteBuilder MapSearchEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/search", Search).WithTags("Search").WithName(nameof(Search))
            .WithSummary("Full-text search over events, statements, resolutions and organizations; accents are ignored, best matches first.")
            .ProducesValidationProblem();
        return app;
    }

    /// <param name="q">Words to look for, e.g. "Anez coup" (web-search syntax: "quoted phrase", -excluded, or).</param>
    /// <param name="type">event, statement, resolution or organization.</param>
    /// <param name="limit">1–100, default 20.</param>
    public static async Task<Ok<IReadOnlyList<SearchResultDto>>> Search(
        ISender sender, [FromQuery] string? q, [FromQuery] string? type, [FromQuery] string? limit, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new SearchQuery(q, type, limit), cancellationToken));
}
