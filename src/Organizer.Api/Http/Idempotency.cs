using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Organizer.Api.Security;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Domain.Access;

namespace Organizer.Api.Http;

/// <summary>
/// <c>Idempotency-Key</c> on a POST to a write route: the first request runs and its answer (status, Location, ETag,
/// body) is kept for <see cref="IdempotencyOptions.RetentionHours"/>; a retry with the same key and body gets that
/// answer again and creates nothing; the same key with a different body is a 422. Keys are scoped to the caller, so
/// two organizations can't collide. A concurrent duplicate finds the key claimed (<see cref="IIdempotencyStore"/>) and
/// waits its turn as a 409 instead of running twice.
/// </summary>
/// <remarks>
/// Runs after authentication and the rate limiter, and only on endpoints marked <see cref="IdempotentWriteMetadata"/>:
/// a GET, an unknown route or a refused token never writes a row, so nobody can fill the table for free.
/// </remarks>
public sealed class Idempotency(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";

    public async Task InvokeAsync(
        HttpContext context, IIdempotencyStore store, TimeProvider clock, IOptions<IdempotencyOptions> options, ProblemResponses problems,
        ILogger<Idempotency> logger)
    {
        string? key = context.Request.Headers[Header];
        var endpoint = context.GetEndpoint();
        if (!HttpMethods.IsPost(context.Request.Method) || string.IsNullOrEmpty(key) || endpoint?.Metadata.GetMetadata<IdempotentWriteMetadata>() is null
            || BearerTokenHandler.HasRejectedToken(context))
        {
            // A refused token gets its 401 from the access policies, which run first; it must neither replay nor claim
            // the anonymous caller's keys, which it would if it were scoped as the anonymous address it falls back to.
            await next(context);
            return;
        }

        if (key.Length > 200 || key.Any(char.IsControl))
        {
            await problems.IdempotencyKeyRefusedAsync(context, StatusCodes.Status400BadRequest, "Idempotency-Key must be at most 200 printable characters.");
            return;
        }

        var scope = BearerTokenHandler.ActorOf(context).AuditName;
        context.Request.EnableBuffering();
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hasher.AppendData(System.Text.Encoding.UTF8.GetBytes($"{context.Request.Method} {context.Request.Path}\n"));
        await using (var copy = new MemoryStream())
        {
            await context.Request.Body.CopyToAsync(copy, context.RequestAborted);
            hasher.AppendData(copy.ToArray());
        }

        context.Request.Body.Position = 0;
        var requestHash = hasher.GetHashAndReset();
        var now = clock.GetUtcNow();

        var secret = endpoint.Metadata.GetMetadata<SecretResponseMetadata>();
        var record = new IdempotencyRecord { Scope = scope, Key = key, RequestHash = requestHash, CreatedAt = now };
        // Not cancelled by a hang-up: a claim that committed as its client left would hold the key, unanswered, and
        // answer the client's retry 409 until the key expired. The command after it runs to its end too.
        if (!await store.TryClaimAsync(record, now - options.Value.Retention, CancellationToken.None))
        {
            await ReplayAsync(context, await store.FindAsync(scope, key, context.RequestAborted), requestHash, secret, problems);
            return;
        }

        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            // The exception handler answers this one; there is no answer to keep, and a retry should run again.
            context.Response.Body = original;
            try
            {
                await store.ReleaseAsync(record, CancellationToken.None);
            }
            catch (DatabaseUnavailableException unavailable)
            {
                // The database went away mid-request. The client is told about the request's own failure, not this one.
                logger.LogWarning("Idempotency-Key {Key} could not be released ({Reason}); a retry with it is answered 409 until the key expires.",
                    key, unavailable.Reason);
            }

            throw;
        }

        context.Response.Body = original;

        // Settled without the request's token: the write has run, so a client that hangs up now must still find its key
        // kept or freed.
        if (context.Response.StatusCode >= 500)
        {
            // A failure is not an answer to keep: the client's retry should run again.
            await store.ReleaseAsync(record, CancellationToken.None);
        }
        else
        {
            // A secret is shown once and never stored, not even here: a retry is told it was issued (ReplayAsync).
            var withheld = secret is not null && context.Response.StatusCode < 300;
            record.StatusCode = context.Response.StatusCode;
            record.ContentType = withheld ? null : context.Response.ContentType;
            record.Location = context.Response.Headers.Location;
            record.ETag = context.Response.Headers.ETag;
            record.Body = withheld ? null : buffer.ToArray();
            await store.KeepAnswerAsync(record, CancellationToken.None);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>Answers a request whose key an earlier one holds; <paramref name="existing"/> is null if it was released since.</summary>
    private static async Task ReplayAsync(
        HttpContext context, IdempotencyRecord? existing, byte[] requestHash, SecretResponseMetadata? secret, ProblemResponses problems)
    {
        if (existing is not null && !CryptographicOperations.FixedTimeEquals(existing.RequestHash, requestHash))
        {
            await problems.IdempotencyKeyRefusedAsync(context, StatusCodes.Status422UnprocessableEntity,
                "This Idempotency-Key was already used with a different request; use a new key for a new request.");
            return;
        }

        if (existing?.StatusCode is not { } status)
        {
            await problems.IdempotencyKeyRefusedAsync(context, StatusCodes.Status409Conflict, "A request with this Idempotency-Key is being handled; retry shortly to get its answer.");
            return;
        }

        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (existing.Location is not null)
        {
            context.Response.Headers.Location = existing.Location;
        }

        if (secret is not null && status < 300)
        {
            // The secret was not kept, so the first answer can't be repeated. A 409 tells the client the request did
            // run (nothing new was issued) and what to do if it lost the answer; a 2xx without the secret would look
            // like success to a client that then reads a missing field.
            await problems.SecretAlreadyIssuedAsync(
                context, $"This Idempotency-Key already {secret.Issued}, and a secret is shown only once. {secret.IfLost}");
            return;
        }

        context.Response.StatusCode = status;
        if (existing.ContentType is not null)
        {
            context.Response.ContentType = existing.ContentType;
        }

        if (existing.ETag is not null)
        {
            context.Response.Headers.ETag = existing.ETag;
        }

        if (existing.Body is { Length: > 0 } body)
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }
}

/// <summary>Marks a write endpoint whose POST honours <c>Idempotency-Key</c>; added by <c>WithWriteAccess</c>.</summary>
public sealed class IdempotentWriteMetadata;

/// <summary>
/// Marks an endpoint whose success answer holds a secret: it is never kept for replay, and a retry with the same key
/// gets a 409 that says what was issued (<paramref name="Issued"/>) and what to do if the answer was lost.
/// </summary>
public sealed record SecretResponseMetadata(string Issued, string IfLost);
