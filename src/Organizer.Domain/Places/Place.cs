using Organizer.Domain.Common;

namespace Organizer.Domain.Places;

public sealed class Place : Entity
{
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string? Address { get; set; }
    public string? City { get; set; }
    public string? Region { get; set; }

    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string? CountryCode { get; set; }

    public double? Latitude { get; set; }
    public double? Longitude { get; set; }

    /// <summary>IANA time-zone id, e.g. America/Toronto.</summary>
    public string? TimeZone { get; set; }

    public string? Note { get; set; }

    /// <summary>
    /// Recorded as a public place (by the admin, or from a published source). Any other place is public only while
    /// a public event uses it: a private meeting's address must never show.
    /// </summary>
    public bool IsPublic { get; set; }

    /// <summary>The organization whose token recorded the place, so that it may name it again before it is public.</summary>
    public Guid? RecordedById { get; set; }
    public List<Citation> Citations { get; set; } = [];
}
