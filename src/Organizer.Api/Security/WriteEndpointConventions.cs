using Organizer.Api.Http;

namespace Organizer.Api.Security;

public static class WriteEndpointConventions
{
    public const string RateLimitPolicy = "writes";

    /// <summary>
    /// Write routes: a rejected token is a 401, writes are rate-limited per caller, a POST honours Idempotency-Key, and
    /// OpenAPI shows the bearer scheme.
    /// </summary>
    public static RouteGroupBuilder WithWriteAccess(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter<WriteAccessFilter>().RequireRateLimiting(RateLimitPolicy)
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
