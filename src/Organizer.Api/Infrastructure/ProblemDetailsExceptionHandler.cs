using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Organizer.Application.Common.Exceptions;
using Organizer.Domain.Common;

namespace Organizer.Api.Infrastructure;

/// <summary>The one place where exceptions become RFC 9457 problem details.</summary>
public sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem = exception switch
        {
            ValidationException e => new ValidationProblemDetails(e.Errors)
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request is not valid.",
                Detail = string.Join(" ", e.Errors.SelectMany(kv => kv.Value)),
            },
            DomainRuleException e => new ValidationProblemDetails(new Dictionary<string, string[]> { [e.Field] = [e.Message] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request is not valid.",
                Detail = e.Message,
            },
            NotFoundException e => new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = "Not found.",
                Detail = e.Message,
            },
            BadHttpRequestException e => new ProblemDetails
            {
                Status = e.StatusCode,
                Title = e.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
                    StatusCodes.Status415UnsupportedMediaType => "The request body has the wrong content type.",
                    _ => "The request could not be read.",
                },
                Detail = ReadableDetail(e),
            },
            System.Text.Json.JsonException e => new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request could not be read.",
                Detail = $"The JSON body is not valid{(e.Path is { } path ? $" at '{path}'" : "")}: {e.Message}",
            },
            UnauthorizedException e => new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized.",
                Detail = e.Message,
            },
            ForbiddenException e => new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden.",
                Detail = e.Message,
            },
            ConflictException e => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Conflict.",
                Detail = e.Message,
            },
            PreconditionFailedException e => new ProblemDetails
            {
                Status = StatusCodes.Status412PreconditionFailed,
                Title = "The record has changed.",
                Detail = e.Message,
            },
            DbUpdateConcurrencyException => new ProblemDetails
            {
                Status = StatusCodes.Status412PreconditionFailed,
                Title = "The record has changed.",
                Detail = "Someone else changed this record while your change was being saved; fetch it again and reapply your change.",
            },
            DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } } => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Conflict.",
                Detail = "A record with the same identifying value was saved at the same time; try again.",
            },
            _ => new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "An unexpected error occurred.",
            },
        };

        if (problem.Status >= 500)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }
        else
        {
            // Expected failures are the client's to fix, not an operator's to page on.
            logger.LogInformation("{Method} {Path} answered {Status}: {Detail}", httpContext.Request.Method, httpContext.Request.Path, problem.Status, problem.Detail);
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        if (exception is UnauthorizedException unauthorized)
        {
            // RFC 6750: a token that was sent and refused is an invalid_token challenge, not a request for one.
            httpContext.Response.Headers.WWWAuthenticate = unauthorized.InvalidToken
                ? "Bearer realm=\"organizer\", error=\"invalid_token\", error_description=\"unknown or revoked token\""
                : "Bearer realm=\"organizer\"";
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>Binding failures carry the useful part (which JSON path, what type) in the inner exception.</summary>
    private static string ReadableDetail(BadHttpRequestException e) => e.InnerException switch
    {
        System.Text.Json.JsonException json => $"The JSON body is not valid{(json.Path is { } path ? $" at '{path}'" : "")}: {json.Message}",
        { } inner => $"{e.Message} {inner.Message}",
        _ => e.Message,
    };
}
