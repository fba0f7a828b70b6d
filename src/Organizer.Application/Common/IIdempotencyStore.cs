using Organizer.Domain.Access;

namespace Organizer.Application.Common;

/// <summary>
/// Where the answers to writes sent with an <c>Idempotency-Key</c> are kept. The API speaks the protocol and
/// Infrastructure owns the table; it is declared here because Infrastructure cannot see the API.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>
    /// Claims the record's scope and key for a request about to run, first freeing them if the record holding them was
    /// created before <paramref name="expiredBefore"/>. False when another request holds them; it may still be running.
    /// </summary>
    Task<bool> TryClaimAsync(IdempotencyRecord record, DateTimeOffset expiredBefore, CancellationToken cancellationToken);

    /// <summary>The record holding a scope and key, or null when it was released meanwhile.</summary>
    Task<IdempotencyRecord?> FindAsync(string scope, string key, CancellationToken cancellationToken);

    /// <summary>Keeps the answer set on a claimed record (status, content type, Location, ETag, body) for retries.</summary>
    Task KeepAnswerAsync(IdempotencyRecord record, CancellationToken cancellationToken);

    /// <summary>Frees a claimed key without keeping an answer, so that a retry runs again.</summary>
    Task ReleaseAsync(IdempotencyRecord record, CancellationToken cancellationToken);

    /// <summary>Deletes the records created before <paramref name="expiredBefore"/>, and says how many there were.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken);
}
