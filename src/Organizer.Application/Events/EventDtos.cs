using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Models;
using Organizer.Application.Feeds;
using Organizer.Domain.Common;
using Organizer.Domain.Events;
using Organizer.Domain.Organizations;

namespace Organizer.Application.Events;

public sealed record PlaceRefDto(string Slug, string Name, string? City, string? CountryCode);

public sealed record EventOrganizationDto(string Slug, string Name, ParticipationRole Role);

/// <summary>
/// An event in a list. <c>start</c>/<c>end</c> are ISO 8601: a date for all-day events (end inclusive),
/// a local date-time with its UTC offset otherwise.
/// </summary>
public sealed record EventSummaryDto(
    string Slug,
    string Title,
    EventKind Kind,
    EventStatus Status,
    bool AllDay,
    string Start,
    string? End,
    string TimeZone,
    DatePrecision DatePrecision,
    PlaceRefDto? Place,
    IReadOnlyList<EventOrganizationDto> Organizations,
    string? Parent,
    FeedLinksDto Calendar);

public sealed record SpeakerDto(string Name, string? Affiliation, string? Role, string? Organization);

public sealed record AttendanceDto(int? Estimate, string Reported);

public sealed record SessionDto(string Slug, string Title, EventKind Kind, EventStatus Status, bool AllDay, string Start, string? End);

public sealed record ResolutionDto(int Ordinal, string Title, string Text, ResolutionOutcome Outcome, IReadOnlyList<SourceDto> Sources);

public sealed record StatementRefDto(string Slug, string Title, DateOnly IssuedOn);

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

internal static class PlaceMapping
{
    public static PlaceDto ToDto(this Domain.Places.Place p, Func<IEnumerable<Citation>, IReadOnlyList<SourceDto>> sources) =>
        new(p.Slug, p.Name, p.Address, p.City, p.Region, p.CountryCode, p.Latitude, p.Longitude, p.TimeZone, p.Note, sources(p.Citations));
}

public sealed record EventDetailDto(
    string Slug,
    string Title,
    EventKind Kind,
    EventStatus Status,
    Visibility Visibility,
    bool AllDay,
    string Start,
    string? End,
    string TimeZone,
    DatePrecision DatePrecision,
    string? DateNote,
    string? Description,
    PlaceDto? Place,
    string? OnlineUrl,
    IReadOnlyList<EventOrganizationDto> Organizations,
    string? Parent,
    IReadOnlyList<SessionDto> Sessions,
    IReadOnlyList<SpeakerDto> Speakers,
    AttendanceDto? Attendance,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Demands,
    IReadOnlyList<ResolutionDto> Resolutions,
    IReadOnlyList<StatementRefDto> StatementsRead,
    IReadOnlyList<string> Notes,
    IReadOnlyList<SourceDto> Sources,
    int Sequence,
    FeedLinksDto Calendar,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

internal static class ScheduleFormat
{
    /// <summary>The API's ISO 8601 start and end: dates for all-day events, local date-times with offset otherwise.</summary>
    public static (string Start, string? End) Format(EventSchedule schedule)
    {
        if (schedule.AllDay)
        {
            return (schedule.StartDate.ToString("yyyy-MM-dd"), schedule.EndDate.ToString("yyyy-MM-dd"));
        }

        var zone = EventSchedule.FindZone(schedule.TimeZone);
        return (Local(schedule.StartsAt!.Value, zone), schedule.EndsAt is { } end ? Local(end, zone) : null);
    }

    private static string Local(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Host first, then co-organizers, participants and endorsers, each by name.</summary>
    public static IReadOnlyList<EventOrganizationDto> Organizations(IEnumerable<EventOrganizationDto> rows) =>
        rows.OrderBy(r => r.Role).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
}

/// <summary>Slug lookups shared by the read use cases: a slug may be an organization's own or one of its aliases.</summary>
public static class OrganizationLookup
{
    public static IQueryable<Organization> BySlugOrAlias(this IQueryable<Organization> organizations, string slug)
    {
        var normalized = slug.ToLowerInvariant();

        // Not "o.Slug == slug || o.Aliases.Any(...)": PostgreSQL cannot use an index for an OR with a correlated EXISTS
        // and scanned every organization (~3 ms at 10,000, on every timeline, summary and feed request). The alias is
        // an uncorrelated subquery, run once, so both sides of the OR are index lookups (a BitmapOr).
        return organizations.Where(o => o.Slug == normalized
            || (Guid?)o.Id == organizations.SelectMany(x => x.Aliases).Where(a => a.Slug == normalized).Select(a => (Guid?)a.OrganizationId).FirstOrDefault());
    }

    /// <summary>The id and own slug of the organization a slug or alias names; a 404 when there is none.</summary>
    public static async Task<(Guid Id, string Slug)> FindRefAsync(this IQueryable<Organization> organizations, string slug, CancellationToken cancellationToken)
    {
        var found = Slugs.IsWellFormed(slug)
            ? await organizations.AsNoTracking().BySlugOrAlias(slug).Select(o => new { o.Id, o.Slug }).FirstOrDefaultAsync(cancellationToken)
            : null;
        return found is null ? throw new NotFoundException("organization", slug) : (found.Id, found.Slug);
    }
}
