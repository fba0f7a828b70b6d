using Organizer.Domain.Common;

namespace Organizer.Domain.Organizations;

public sealed class Organization : Entity
{
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public OrganizationKind Kind { get; set; } = OrganizationKind.Other;
    public string? HomeCity { get; set; }
    public string? HomeCountryCode { get; set; }
    public string? Website { get; set; }
    public string? Description { get; set; }

    /// <summary>Other names documents use for this one body; each has its own slug that resolves here.</summary>
    public List<OrganizationAlias> Aliases { get; set; } = [];

    public List<Citation> Citations { get; set; } = [];

    /// <summary>
    /// SHA-256 of the secret in the organization's private feed URL, for calendar apps that cannot send a token.
    /// Rotating it replaces the hash, so the old URL stops working at once.
    /// </summary>
    public byte[]? FeedSecretHash { get; set; }
}

public sealed class OrganizationAlias : Entity
{
    public Guid OrganizationId { get; set; }
    public required string Name { get; set; }
    public required string Slug { get; set; }
}
