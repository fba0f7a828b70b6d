using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Organizer.Api.Security;
using Organizer.Domain.Access;
using Organizer.Infrastructure.Persistence;

namespace Organizer.Api.Infrastructure;

/// <summary>
/// <c>Idempotency-Key</c> on a POST to a write route: the first request runs and its answer (status, Location, ETag,
/// body) is kept for <see cref="IdempotencyOptions.RetentionHours"/>; a retry with the same key and body gets that
/// answer again and creates nothing; the same key with a different body is a 422. Keys are scoped to the caller, so
/// two organizations can't collide. A unique index makes a concurrent duplicate wait its turn as a 409 instead of
/// running twice.
/// </summary>
/// <remarks>
/// Runs after authentication and the rate limiter, and only on endpoints marked <see cref="IdempotentWriteMetadata"/>:
/// a GET, an unknown route or a refused token never writes a row, so nobody can fill the table for free.
/// </remarks>
public sealed class Idempotency(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";

    public async Task InvokeAsync(
        HttpContext context, OrganizerDbContext db, TimeProvider clock, IOptions<IdempotencyOptions> options, IProblemDetailsService problemDetails)
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
            await ProblemAsync(context, problemDetails, StatusCodes.Status400BadRequest, "Idempotency-Key must be at most 200 printable characters.");
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

        var existing = await db.IdempotencyRecords.FirstOrDefaultAsync(r => r.Scope == scope && r.Key == key, context.RequestAborted);
        if (existing is not null && existing.CreatedAt < now - options.Value.Retention)
        {
            db.IdempotencyRecords.Remove(existing);
            await db.SaveChangesAsync(context.RequestAborted);
            existing = null;
        }

        var secret = endpoint.Metadata.GetMetadata<SecretResponseMetadata>();
        if (existing is not null)
        {
            await ReplayAsync(context, existing, requestHash, secret, problemDetails);
            return;
        }

        var record = new IdempotencyRecord { Scope = scope, Key = key, RequestHash = requestHash, CreatedAt = now };
        db.IdempotencyRecords.Add(record);
        try
        {
            await db.SaveChangesAsync(context.RequestAborted);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            await ProblemAsync(context, problemDetails, StatusCodes.Status409Conflict, "A request with this Idempotency-Key is being handled; retry shortly to get its answer.");
            return;
        }

        db.ChangeTracker.Clear();
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
            await db.IdempotencyRecords.Where(r => r.Id == record.Id).ExecuteDeleteAsync(CancellationToken.None);
            throw;
        }

        context.Response.Body = original;

        if (context.Response.StatusCode >= 500)
        {
            // A failure is not an answer to keep: the client's retry should run again.
            await db.IdempotencyRecords.Where(r => r.Id == record.Id).ExecuteDeleteAsync(CancellationToken.None);
        }
        else
        {
            // A secret is shown once and never stored, not even here: a retry is told it was issued (ReplayAsync).
            var withheld = secret is not null && context.Response.StatusCode < 300;
            var body = withheld ? null : buffer.ToArray();
            var contentType = withheld ? null : context.Response.ContentType;
            await db.IdempotencyRecords.Where(r => r.Id == record.Id).ExecuteUpdateAsync(
                set => set
                    .SetProperty(r => r.StatusCode, context.Response.StatusCode)
                    .SetProperty(r => r.ContentType, contentType)
                    .SetProperty(r => r.Location, (string?)context.Response.Headers.Location)
                    .SetProperty(r => r.ETag, (string?)context.Response.Headers.ETag)
                    .SetProperty(r => r.Body, body),
                CancellationToken.None);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static async Task ReplayAsync(
        HttpContext context, IdempotencyRecord existing, byte[] requestHash, SecretResponseMetadata? secret, IProblemDetailsService problemDetails)
    {
        if (!CryptographicOperations.FixedTimeEquals(existing.RequestHash, requestHash))
        {
            await ProblemAsync(context, problemDetails, StatusCodes.Status422UnprocessableEntity,
                "This Idempotency-Key was already used with a different request; use a new key for a new request.");
            return;
        }

        if (existing.StatusCode is not { } status)
        {
            await ProblemAsync(context, problemDetails, StatusCodes.Status409Conflict, "A request with this Idempotency-Key is being handled; retry shortly to get its answer.");
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
            await ProblemAsync(context, problemDetails, StatusCodes.Status409Conflict,
                $"This Idempotency-Key already {secret.Issued}, and a secret is shown only once. {secret.IfLost}", "Secret already issued.");
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

    private static async Task ProblemAsync(
        HttpContext context, IProblemDetailsService problemDetails, int status, string detail, string title = "Idempotency-Key conflict.")
    {
        context.Response.StatusCode = status;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}

/// <summary>Marks a write endpoint whose POST honours <c>Idempotency-Key</c>; added by <c>WithWriteAccess</c>.</summary>
public sealed class IdempotentWriteMetadata;

/// <summary>
/// Marks an endpoint whose success answer holds a secret: it is never kept for replay, and a retry with the same key
/// gets a 409 that says what was issued (<paramref name="Issued"/>) and what to do if the answer was lost.
/// </summary>
public sealed record SecretResponseMetadata(string Issued, string IfLost);
