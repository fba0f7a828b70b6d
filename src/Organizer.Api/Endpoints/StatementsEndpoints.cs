using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Organizer.Application.Statements;

namespace Organizer.Api.Endpoints;

public static class StatementsEndpoints
{
    public static IEndpointRouteBuilder MapStatementsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/statements").WithTags("Statements");
        group.MapGet("/", ListStatements).WithName(nameof(ListStatements)).WithSummary("Statements, newest first.");
        group.MapGet("/{slug}", GetStatement).WithName(nameof(GetStatement)).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<StatementSummaryDto>>> ListStatements(ISender sender, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new ListStatementsQuery(), cancellationToken));

    public static async Task<Ok<StatementDto>> GetStatement(ISender sender, string slug, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new GetStatementQuery(slug), cancellationToken));
}
