using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using Organizer.Application.Access;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;

namespace Organizer.Api.Security;

/// <summary>
/// ASP.NET Core authorization over the rules in <c>Application/Access</c>: the named route policies of
/// <see cref="AccessPolicies"/>, and one resource handler for <see cref="ChangeRules"/>. Nothing here decides anything
/// itself: it asks those rules, and turns their answers into the exceptions whose bodies
/// <c>ProblemResponses</c> writes.
/// </summary>
public static class AccessAuthorization
{
    public static IServiceCollection AddAccessAuthorization(this IServiceCollection services)
    {
        services.AddAuthorization(options =>
        {
            foreach (var policy in AccessPolicies.All)
            {
                options.AddPolicy(policy, builder => builder.AddRequirements(new CallerRequirement(policy)));
            }
        });
        services.AddSingleton<IAuthorizationHandler, CallerHandler>();
        services.AddSingleton<IAuthorizationHandler, ChangeHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, RefusalResultHandler>();
        services.AddScoped<IChangeAuthorization, ChangeAuthorization>();
        return services;
    }

    /// <summary>
    /// Puts an admin-only route under the <see cref="AccessPolicies.Admin"/> policy, with what a token that is not the
    /// admin's is told.
    /// </summary>
    public static RouteHandlerBuilder RequireAdmin(this RouteHandlerBuilder builder, AdminOnly action) =>
        builder.RequireAuthorization(AccessPolicies.Admin).WithMetadata(action);
}

/// <summary>One of the route policies of <see cref="AccessPolicies"/>, by name.</summary>
public sealed record CallerRequirement(string Policy) : IAuthorizationRequirement;

/// <summary>Decides a route policy for the caller of a request.</summary>
public sealed class CallerHandler(IOptions<ModerationOptions> moderation) : AuthorizationHandler<CallerRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CallerRequirement requirement)
    {
        // Endpoint authorization passes the request as the resource.
        var request = context.Resource as HttpContext;

        // A token that was sent and refused is not an anonymous caller, which with submissions open would file the
        // request as a pending submission. Left unmet, the requirement makes it a 401.
        if (request is not null && BearerTokenHandler.HasRejectedToken(request))
        {
            return Task.CompletedTask;
        }

        var actor = BearerTokenHandler.ActorOf(context.User);
        if (AccessPolicies.Allows(requirement.Policy, actor, moderation.Value))
        {
            context.Succeed(requirement);
        }
        else if (request?.GetEndpoint()?.Metadata.GetMetadata<AdminOnly>() is { } action && !actor.IsAnonymous)
        {
            context.Fail(new AuthorizationFailureReason(this, action.Refusal));
        }

        return Task.CompletedTask;
    }
}

/// <summary>Asked with a <see cref="Change"/> as the resource: may the user make it?</summary>
public sealed class ChangeRequirement : IAuthorizationRequirement
{
    public static readonly ChangeRequirement Instance = new();

    private ChangeRequirement()
    {
    }
}

/// <summary>The one resource handler: "may change this event, this organization".</summary>
public sealed class ChangeHandler : AuthorizationHandler<ChangeRequirement, Change>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ChangeRequirement requirement, Change resource)
    {
        if (ChangeRules.Refusal(resource, BearerTokenHandler.ActorOf(context.User)) is { } refusal)
        {
            context.Fail(new AuthorizationFailureReason(this, refusal));
        }
        else
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Application's port: a handler that has loaded a record asks <see cref="IAuthorizationService"/>.</summary>
public sealed class ChangeAuthorization(IAuthorizationService authorization) : IChangeAuthorization
{
    public async Task EnsureAllowedAsync(Change change, Actor actor)
    {
        // The command's own actor, not the request's user: the command is what the handler acts on.
        var result = await authorization.AuthorizeAsync(BearerTokenHandler.PrincipalOf(actor), change, ChangeRequirement.Instance);
        if (!result.Succeeded)
        {
            throw new ForbiddenException(RefusalResultHandler.ReasonOf(result.Failure));
        }
    }
}

/// <summary>
/// A refused route policy becomes the exceptions handlers throw, so that every 401 and 403 body is written in one
/// place (<c>ProblemResponses</c>), with the <c>WWW-Authenticate</c> challenge it adds.
/// </summary>
public sealed class RefusalResultHandler : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            // No accepted token: say why the one sent was refused, or that one is needed. The handler keeps its result
            // for the request, so this asks the database nothing.
            var failure = (await context.AuthenticateAsync(BearerTokenHandler.SchemeName)).Failure;
            var tokenNeeded = context.GetEndpoint()?.Metadata.GetMetadata<AdminOnly>()?.TokenNeeded ?? AccessPolicies.TokenNeeded;
            throw new UnauthorizedException(failure?.Message ?? tokenNeeded, invalidToken: failure is not null);
        }

        if (authorizeResult.Forbidden)
        {
            throw new ForbiddenException(ReasonOf(authorizeResult.AuthorizationFailure));
        }

        await next(context);
    }

    internal static string ReasonOf(AuthorizationFailure? failure) =>
        failure?.FailureReasons.FirstOrDefault()?.Message ?? "This token may not do that.";
}
