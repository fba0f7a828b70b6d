using Organizer.Api.Http;

namespace Organizer.Api.Security;

public static class WriteEndpointConventions
{
    public const string RateLimitPolicy = "writes";

    /// <summary>
    /// Write routes: callers the access <paramref name="policy"/> refuses get their 401 or 403 before the body is read
    /// (a rejected token always a 401), writes are rate-limited per caller, a POST honours Idempotency-Key, and OpenAPI
    /// shows the bearer scheme. A write group cannot be made without a policy.
    /// </summary>
    /// <param name="policy">One of <see cref="Application.Access.AccessPolicies"/>; a route may add
    /// <see cref="AccessAuthorization.RequireAdmin"/>.</param>
    public static RouteGroupBuilder WithWriteAccess(this RouteGroupBuilder group, string policy)
    {
        group.RequireAuthorization(policy).RequireRateLimiting(RateLimitPolicy)
            .WithMetadata(new RequiresBearerMetadata(), new IdempotentWriteMetadata());
        return group;
    }

    /// <summary>The error responses every write route can give, for the OpenAPI document.</summary>
    public static RouteHandlerBuilder WithWriteErrors(this RouteHandlerBuilder builder) => builder
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .ProducesProblem(StatusCodes.Status429TooManyRequests);
}

/// <summary>Marks an endpoint as taking a bearer token, for the OpenAPI document's security requirements.</summary>
public sealed class RequiresBearerMetadata;
