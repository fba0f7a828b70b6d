namespace Organizer.Domain.Access;

/// <summary>
/// The stored outcome of a POST sent with an Idempotency-Key, so that a retry gets the same answer instead of a
/// second event. Keys are scoped to the caller (a token, the admin, or an anonymous client address). A body that
/// holds a secret (a new token, a feed secret) is never kept: see docs/decisions/006.
/// </summary>
public sealed class IdempotencyRecord
{
    public long Id { get; set; }
    public required string Scope { get; set; }
    public required string Key { get; set; }
    public required byte[] RequestHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Null while the first request is still being handled.</summary>
    public int? StatusCode { get; set; }

    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public string? ETag { get; set; }
    public byte[]? Body { get; set; }
}
