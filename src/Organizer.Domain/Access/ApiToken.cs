using Organizer.Domain.Common;

namespace Organizer.Domain.Access;

/// <summary>
/// An organization's write token. The secret is shown once, at creation; only its SHA-256 hash is kept.
/// The token text is <c>{Id:N}.{secret}</c>, so a token is found by id and its secret compared in constant time.
/// </summary>
public sealed class ApiToken : Entity
{
    public Guid OrganizationId { get; set; }
    public string? Label { get; set; }
    public required byte[] SecretHash { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
