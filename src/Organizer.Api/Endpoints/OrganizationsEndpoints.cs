using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Organizer.Api.Http;
using Microsoft.Extensions.Options;
using Organizer.Api.Security;
using Organizer.Application.Common;
using Organizer.Application.Access;
using Organizer.Application.Organizations;
using Organizer.Application.Statements;
using Organizer.Application.Timeline;

namespace Organizer.Api.Endpoints;

public static class OrganizationsEndpoints
{
    public static IEndpointRouteBuilder MapOrganizationsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations").WithTags("Organizations");
        group.MapGet("/", ListOrganizations).WithName(nameof(ListOrganizations));
        group.MapGet("/{slug}", GetOrganization).WithName(nameof(GetOrganization))
            .WithSummary("An organization by its slug or an alias slug.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{slug}/actions", GetActions).WithName(nameof(GetActions))
            .WithSummary("The organization's record: events in any role, statements, resolutions; past newest first, or upcoming.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{slug}/summary", GetSummary).WithName(nameof(GetSummary))
            .WithSummary("Counts by year and kind, first and last action, and the organizations it most often acts with.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            // A first read of years of series' occurrences may need more than one request: Retry-After says when to ask again.
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        var writes = group.MapGroup("").WithWriteAccess(AccessPolicies.OrganizationToken);
        writes.MapPost("/", CreateOrganization).WithName(nameof(CreateOrganization)).WithSummary("Creates an organization (admin).")
            .Accepts<OrganizationInput>("application/json").WithWriteErrors().RequireAdmin(AdminOnly.CreateOrganization);
        writes.MapPatch("/{slug}", PatchOrganization).WithName(nameof(PatchOrganization))
            .WithSummary("Changes an organization (admin; JSON Merge Patch).").Accepts<OrganizationInput>(MergePatch.ContentType).WithWriteErrors()
            .RequireAdmin(AdminOnly.ChangeOrganization);
        writes.MapPost("/{slug}/tokens", IssueToken).WithName(nameof(IssueToken))
            .WithSummary("Issues a token for the organization (admin). The token is shown only in this response.").WithWriteErrors()
            .WithMetadata(new SecretResponseMetadata("issued a token (its Location is in this answer)", "If the answer was lost, revoke that token and issue another with a new key."))
            .RequireAdmin(AdminOnly.IssueToken);
        writes.MapDelete("/{slug}/tokens/{id:guid}", RevokeToken).WithName(nameof(RevokeToken))
            .WithSummary("Revokes a token at once (admin).").WithWriteErrors().RequireAdmin(AdminOnly.RevokeToken);
        writes.MapPost("/{slug}/statements", IssueStatement).WithName(nameof(IssueStatement))
            .WithSummary("Records a statement the organization issued.").WithWriteErrors();
        writes.MapPost("/{slug}/feed-secret", RotateFeedSecret).WithName(nameof(RotateFeedSecret))
            .WithSummary("Creates or replaces the organization's secret private-feed URL; the old one stops working.").WithWriteErrors()
            .WithMetadata(new SecretResponseMetadata("rotated the private-feed secret", "If the answer was lost, rotate again with a new key."));
        return app;
    }

    public static async Task<Created<OrganizationDetailDto>> CreateOrganization(HttpContext context, ISender sender, OrganizationInput input, CancellationToken cancellationToken)
    {
        var created = await sender.Send(new CreateOrganizationCommand(input, BearerTokenHandler.ActorOf(context)), cancellationToken);
        return TypedResults.Created(context.PathTo(nameof(GetOrganization), new { slug = created.Slug }), created);
    }

    public static async Task<Ok<OrganizationDetailDto>> PatchOrganization(HttpContext context, ISender sender, string slug, CancellationToken cancellationToken)
    {
        var patch = await MergePatchReader.ReadAsync(context.Request);
        return TypedResults.Ok(await sender.Send(new PatchOrganizationCommand(slug, patch, BearerTokenHandler.ActorOf(context)), cancellationToken));
    }

    public static async Task<Ok<TimelinePageDto>> GetActions(ISender sender, [AsParameters] GetTimelineQuery query, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(query, cancellationToken));

    public static async Task<Ok<OrganizationSummaryDto>> GetSummary(ISender sender, string slug, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new GetSummaryQuery(slug), cancellationToken));

    public sealed record TokenRequest(string? Label);

    public static async Task<Created<IssuedTokenDto>> IssueToken(HttpContext context, ISender sender, string slug, TokenRequest? request, CancellationToken cancellationToken)
    {
        var issued = await sender.Send(new IssueTokenCommand(slug, request?.Label, BearerTokenHandler.ActorOf(context)), cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created(context.PathTo(nameof(RevokeToken), new { slug = issued.Organization, id = issued.Id }), issued);
    }

    public static async Task<NoContent> RevokeToken(HttpContext context, ISender sender, string slug, Guid id, CancellationToken cancellationToken)
    {
        await sender.Send(new RevokeTokenCommand(slug, id, BearerTokenHandler.ActorOf(context)), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Created<StatementDto>> IssueStatement(HttpContext context, ISender sender, string slug, StatementInput input, CancellationToken cancellationToken)
    {
        var statement = await sender.Send(new IssueStatementCommand(slug, input, BearerTokenHandler.ActorOf(context)), cancellationToken);
        return TypedResults.Created(context.PathTo(nameof(StatementsEndpoints.GetStatement), new { slug = statement.Slug }), statement);
    }

    public static async Task<Ok<PrivateFeedDto>> RotateFeedSecret(HttpContext context, ISender sender, string slug, CancellationToken cancellationToken)
    {
        var feed = await sender.Send(new RotateFeedSecretCommand(slug, BearerTokenHandler.ActorOf(context)), cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(feed);
    }

    public static async Task<Ok<IReadOnlyList<OrganizationDto>>> ListOrganizations(HttpContext context, ISender sender, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new ListOrganizationsQuery(), cancellationToken));

    public static async Task<Ok<OrganizationDetailDto>> GetOrganization(HttpContext context, ISender sender, string slug, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new GetOrganizationQuery(slug), cancellationToken));
}
