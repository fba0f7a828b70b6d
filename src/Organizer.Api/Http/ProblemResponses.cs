using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Organizer.Application.Common.Exceptions;
using Organizer.Domain.Common;

namespace Organizer.Api.Http;

/// <summary>
/// The one place where errors become RFC 9457 problem details, every one written through
/// <see cref="IProblemDetailsService"/> so that it carries the request's traceId. Exceptions reach it as the app's
/// <see cref="IExceptionHandler"/>; an error status that nothing answered (an unknown route, a body the endpoint's
/// binding found too large) through <c>UseStatusCodePages</c>. Refusals made outside an endpoint, or with headers of
/// their own that the exception handler would clear, call the methods below: the rate limiter's 429, the bearer
/// scheme's 401 and 403, and the idempotency middleware's answers.
/// </summary>
public sealed class ProblemResponses(
    IProblemDetailsService problemDetails,
    IOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions> server,
    ILogger<ProblemResponses> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = FromException(exception);
        if (exception is DatabaseUnavailableException unavailable)
        {
            DatabaseUnavailable(httpContext, unavailable);
        }
        else if (exception is TryLaterException later)
        {
            // Expected under load and answered by the client's retry: not an operator's error.
            httpContext.Response.Headers.RetryAfter = later.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            logger.LogInformation("{Method} {Path} answered 503: {Detail}", httpContext.Request.Method, httpContext.Request.Path, problem.Detail);
        }
        else if (problem.Status >= 500)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }
        else
        {
            // Expected failures are the client's to fix, not an operator's to page on.
            logger.LogInformation("{Method} {Path} answered {Status}: {Detail}", httpContext.Request.Method, httpContext.Request.Path, problem.Status, problem.Detail);
        }

        return await WriteAsync(httpContext, problem, exception);
    }

    /// <summary>
    /// An error status set without a body: the framework's problem for it, in our words for a 413. Minimal API binding
    /// answers a body over the server's limit this way rather than throwing. A client that accepts no JSON gets the
    /// framework's plain-text line, as before.
    /// </summary>
    public async Task StatusCodeAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        if (!await WriteAsync(http, status == StatusCodes.Status413PayloadTooLarge ? TooLarge() : new ProblemDetails { Status = status }))
        {
            http.Response.ContentType = "text/plain";
            await http.Response.WriteAsync($"Status Code: {status}; {ReasonPhrases.GetReasonPhrase(status)}", http.RequestAborted);
        }
    }

    public Task TooManyRequestsAsync(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Ceiling(retryAfter.TotalSeconds);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return WriteAsync(context, new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests.",
            Detail = $"Too many writes from this caller; try again in {seconds} seconds.",
        });
    }

    /// <summary>A malformed key (400), a key another request holds (409), or a key used with another body (422).</summary>
    public Task IdempotencyKeyRefusedAsync(HttpContext context, int status, string detail) =>
        WriteAsync(context, new ProblemDetails { Status = status, Title = "Idempotency-Key conflict.", Detail = detail });

    /// <summary>A retry of a write whose answer held a secret, which was shown once and not kept (docs/decisions/007).</summary>
    public Task SecretAlreadyIssuedAsync(HttpContext context, string detail) =>
        WriteAsync(context, new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Secret already issued.", Detail = detail });

    /// <summary>How long a client is asked to wait before retrying while the database is unavailable.</summary>
    private const int DatabaseRetryAfterSeconds = 5;

    /// <summary>
    /// Asks the client to come back. Logged at Debug only: every request fails during an outage, and Infrastructure
    /// already tells the operator once when the database goes away and once when it is back.
    /// </summary>
    private void DatabaseUnavailable(HttpContext context, DatabaseUnavailableException exception)
    {
        context.Response.Headers.RetryAfter = DatabaseRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        logger.LogDebug("{Method} {Path} answered 503: {Reason}", context.Request.Method, context.Request.Path, exception.Reason);
    }

    private ProblemDetails FromException(Exception exception) => exception switch
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
        // Kestrel's request body limit, when the body is read outside binding (Idempotency, a merge patch).
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => TooLarge(),
        BadHttpRequestException e => new ProblemDetails
        {
            Status = e.StatusCode,
            Title = e.StatusCode switch
            {
                StatusCodes.Status415UnsupportedMediaType => "The request body has the wrong content type.",
                _ => "The request could not be read.",
            },
            Detail = ReadableDetail(e),
        },
        System.Text.Json.JsonException e => new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request could not be read.",
            Detail = JsonDetail(e),
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
        // The exception's own message names the server; the client learns only that it should come back.
        DatabaseUnavailableException => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The database is unavailable.",
            Detail = $"The service cannot reach its database right now; try again in {DatabaseRetryAfterSeconds} seconds.",
        },
        TryLaterException e => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Not finished yet.",
            Detail = e.Message,
        },
        _ => new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = "An unexpected error occurred.",
        },
    };

    /// <summary>The limit is Kestrel's own (Program.cs); the words name it whichever way the body ran past it.</summary>
    private ProblemDetails TooLarge() => new()
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "The request body is too large.",
        Detail = server.Value.Limits.MaxRequestBodySize is { } max ? $"Request bodies are limited to {max / 1024} KB." : null,
    };

    private async Task<bool> WriteAsync(HttpContext context, ProblemDetails problem, Exception? exception = null)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        if (problem.Status == StatusCodes.Status401Unauthorized && string.IsNullOrEmpty(context.Response.Headers.WWWAuthenticate))
        {
            // RFC 6750: a token that was sent and refused is an invalid_token challenge, not a request for one.
            context.Response.Headers.WWWAuthenticate = exception is UnauthorizedException { InvalidToken: true }
                ? "Bearer realm=\"organizer\", error=\"invalid_token\", error_description=\"unknown or revoked token\""
                : "Bearer realm=\"organizer\"";
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>Binding failures carry the useful part (which JSON path, what type) in the inner exception.</summary>
    private static string ReadableDetail(BadHttpRequestException e) => e.InnerException switch
    {
        System.Text.Json.JsonException json => JsonDetail(json),
        { } inner => $"{e.Message} {inner.Message}",
        _ => e.Message,
    };

    private static string JsonDetail(System.Text.Json.JsonException e) =>
        $"The JSON body is not valid{(e.Path is { } path ? $" at '{path}'" : "")}: {e.Message}";
}
