using Organizer.Application.Common.Models;
using Organizer.Domain.Common;

namespace Organizer.Application.Places;

/// <summary>A place as an event's list entry names it.</summary>
public sealed record PlaceRefDto(string Slug, string Name, string? City, string? CountryCode);

public sealed record PlaceDto(
    string Slug,
    string Name,
    string? Address,
    string? City,
    string? Region,
    string? CountryCode,
    double? Latitude,
    double? Longitude,
    string? TimeZone,
    string? Note,
    IReadOnlyList<SourceDto> Sources);

public static class PlaceMapping
{
    public static PlaceDto ToDto(this Domain.Places.Place p, Func<IEnumerable<Citation>, IReadOnlyList<SourceDto>> sources) =>
        new(p.Slug, p.Name, p.Address, p.City, p.Region, p.CountryCode, p.Latitude, p.Longitude, p.TimeZone, p.Note, sources(p.Citations));
}
