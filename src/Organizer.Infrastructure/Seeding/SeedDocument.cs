using Organizer.Domain.Common;

namespace Organizer.Infrastructure.Seeding;

/// <summary>The shape of Seeding/seed.json: data curated from the source documents, each record with its citations.</summary>
internal sealed record SeedDocument(
    List<SeedSource> Sources,
    List<SeedOrganization> Organizations,
    List<SeedPlace> Places,
    List<SeedEvent> Events,
    List<SeedResolution> Resolutions,
    List<SeedStatement> Statements);

internal sealed record SeedSource(string Document, string? Title, string? Publication, string? Author, DateOnly? PublishedOn, string? Url, string? Note);

internal sealed record SeedAlias(string Name, string Slug);

internal sealed record SeedOrganization(
    string Slug,
    string Name,
    List<SeedAlias>? Aliases,
    string Kind,
    string? HomeCity,
    string? HomeCountryCode,
    string? Website,
    string? Description,
    List<Citation> Citations);

internal sealed record SeedPlace(
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
    List<Citation> Citations);

internal sealed record SeedParticipation(string Slug, string Role);

internal sealed record SeedSpeaker(string Name, string? Affiliation, string? Role, string? Organization);

internal sealed record SeedAttendance(int? Estimate, string Reported);

internal sealed record SeedEvent(
    string Slug,
    string Title,
    string Kind,
    string? Status,
    bool AllDay,
    string Start,
    string? End,
    string TimeZone,
    string DatePrecision,
    string? DateNote,
    string? Parent,
    string? Place,
    string? OnlineUrl,
    List<SeedParticipation>? Organizations,
    List<SeedSpeaker>? Speakers,
    SeedAttendance? Attendance,
    List<string>? Tags,
    List<string>? Demands,
    string? Description,
    List<string>? Notes,
    List<Citation> Citations);

internal sealed record SeedResolution(string Event, int Ordinal, string Title, string Text, string? Outcome, List<Citation> Citations);

internal sealed record SeedStatement(
    string Slug,
    string Title,
    DateOnly IssuedOn,
    string? DatePrecision,
    string? DateNote,
    List<string> Organizations,
    string? Spokesperson,
    string? Summary,
    string? Text,
    string? ReadAtEvent,
    List<Citation> Citations);
