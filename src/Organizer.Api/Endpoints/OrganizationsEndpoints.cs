using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Organizer.Api.Infrastructure;
using Organizer.Application.Organizations;

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
        return app;
    }

    public static async Task<Ok<IReadOnlyList<OrganizationDto>>> ListOrganizations(HttpContext context, ISender sender, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new ListOrganizationsQuery(PublicUrl.BaseOf(context)), cancellationToken));

    public static async Task<Ok<OrganizationDetailDto>> GetOrganization(HttpContext context, ISender sender, string slug, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new GetOrganizationQuery(slug, PublicUrl.BaseOf(context)), cancellationToken));
}
