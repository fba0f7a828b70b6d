using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Organizer.Application.Events;
using Organizer.Domain.Events;
using Organizer.Application.Places;
using Organizer.Application.Common.Links;

namespace Organizer.Application.Sharing;

/// <summary>
/// An event as a schema.org <c>Event</c> in JSON-LD, for search engines, link previews and other calendars.
/// Mapped from the event the JSON API serves, so both always show the same visibility and the same dates.
/// <c>location</c> is a <see cref="PlaceLd"/>, a <see cref="VirtualLocationLd"/>, or both in an array for a mixed event.
/// A series is one <c>Event</c> whose dates are its first occurrence's, with an <c>eventSchedule</c>
/// (<see cref="ScheduleLd"/>) for its rule where schema.org can state it.
/// </summary>
public sealed record EventJsonLd(
    [property: JsonPropertyName("@context")] string Context,
    [property: JsonPropertyName("@type")] string Type,
    [property: JsonPropertyName("@id")] string Id,
    string Url,
    string Name,
    string? Description,
    string StartDate,
    string? EndDate,
    string EventStatus,
    string EventAttendanceMode,
    object? Location,
    IReadOnlyList<OrganizationLd>? Organizer,
    IReadOnlyList<OrganizationLd>? Contributor,
    IReadOnlyList<PersonLd>? Performer,
    IReadOnlyList<string>? Keywords,
    EventRefLd? SuperEvent,
    IReadOnlyList<EventRefLd>? SubEvent,
    ScheduleLd? EventSchedule = null)
{
    public const string ContentType = "application/ld+json";

    private const string Schema = "https://schema.org/";

    /// <summary>JSON-LD leaves out what is unknown rather than stating null, and its names are not the API's kebab enums.</summary>
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <param name="links">The event's <c>url</c> and <c>@id</c> are its JSON address.</param>
    public static EventJsonLd From(EventDetailDto e, ILinks links)
    {
        var url = links.Event(e.Slug);
        var online = e.OnlineUrl is not null || e.Kind == EventKind.OnlineAction;
        var mode = (e.Place, online) switch
        {
            (not null, true) => "MixedEventAttendanceMode",
            (null, true) => "OnlineEventAttendanceMode",
            _ => "OfflineEventAttendanceMode",
        };

        var location = new List<object>();
        if (e.Place is { } p)
        {
            location.Add(new PlaceLd("Place", p.Name, Address(p), p.Latitude is { } lat && p.Longitude is { } lon ? new GeoLd("GeoCoordinates", lat, lon) : null));
        }

        if (e.OnlineUrl is { } onlineUrl)
        {
            location.Add(new VirtualLocationLd("VirtualLocation", onlineUrl));
        }

        OrganizationLd Organization(EventOrganizationDto o) => new("Organization", links.Organization(o.Slug), o.Name, links.Organization(o.Slug));

        return new EventJsonLd(
            "https://schema.org",
            "Event",
            url,
            url,
            e.Title,
            e.Description,
            e.Start,
            e.End,
            Schema + Status(e.Status),
            Schema + mode,
            location.Count switch { 0 => null, 1 => location[0], _ => location },
            NullIfEmpty(e.Organizations.Where(o => o.Role == ParticipationRole.Host).Select(Organization).ToList()),
            NullIfEmpty(e.Organizations.Where(o => o.Role != ParticipationRole.Host).Select(Organization).ToList()),
            NullIfEmpty(e.Speakers.Select(s => new PersonLd("Person", s.Name, s.Affiliation is { } a ? new OrganizationLd("Organization", null, a, null) : null)).ToList()),
            NullIfEmpty(e.Tags),
            e.Parent is { } parent ? new EventRefLd("Event", links.Event(parent), links.Event(parent), null, null, null, null) : null,
            NullIfEmpty(e.Sessions.Select(s => new EventRefLd("Event", links.Event(s.Slug), links.Event(s.Slug), s.Title, s.Start, s.End, Schema + Status(s.Status))).ToList()),
            e.Recurrence is { } series ? ScheduleLd.From(e, series) : null);
    }


    // A pending submission is shown only to the admin and its host, as what it asks to be: a scheduled event.
    private static string Status(Domain.Events.EventStatus status) => status switch
    {
        Domain.Events.EventStatus.Cancelled => "EventCancelled",
        Domain.Events.EventStatus.Postponed => "EventPostponed",
        _ => "EventScheduled",
    };

    private static PostalAddressLd? Address(PlaceDto p) =>
        p.Address is null && p.City is null && p.Region is null && p.CountryCode is null
            ? null
            : new PostalAddressLd("PostalAddress", p.Address, p.City, p.Region, p.CountryCode);

    private static IReadOnlyList<T>? NullIfEmpty<T>(IReadOnlyList<T> items) => items.Count == 0 ? null : items;
}

public sealed record PlaceLd([property: JsonPropertyName("@type")] string Type, string Name, PostalAddressLd? Address, GeoLd? Geo);

public sealed record PostalAddressLd(
    [property: JsonPropertyName("@type")] string Type, string? StreetAddress, string? AddressLocality, string? AddressRegion, string? AddressCountry);

public sealed record GeoLd([property: JsonPropertyName("@type")] string Type, double Latitude, double Longitude);

public sealed record VirtualLocationLd([property: JsonPropertyName("@type")] string Type, string Url);

public sealed record OrganizationLd(
    [property: JsonPropertyName("@type")] string Type, [property: JsonPropertyName("@id")] string? Id, string Name, string? Url);

public sealed record PersonLd([property: JsonPropertyName("@type")] string Type, string Name, OrganizationLd? Affiliation);

/// <summary>Another event named by this one: its parent assembly (address only) or one of its sessions.</summary>
public sealed record EventRefLd(
    [property: JsonPropertyName("@type")] string Type,
    [property: JsonPropertyName("@id")] string Id,
    string Url,
    string? Name,
    string? StartDate,
    string? EndDate,
    string? EventStatus);

/// <summary>
/// A series' rule as a schema.org <c>Schedule</c>. schema.org has no ordinal weekday nor a day counted from the end of
/// the month (its <c>byMonthWeek</c> and <c>byMonthDay</c> count from 1): a rule that needs them (1SU and 3MO together,
/// -1FR, BYMONTHDAY=-1) gets no <c>eventSchedule</c> rather than a wrong one. Cancelled occurrences are
/// <c>exceptDate</c>s, as removed ones are; a moved occurrence is not stated (the calendar feed has it).
/// </summary>
public sealed record ScheduleLd(
    [property: JsonPropertyName("@type")] string Type,
    string StartDate,
    string? EndDate,
    string RepeatFrequency,
    int? RepeatCount,
    IReadOnlyList<string>? ByDay,
    IReadOnlyList<int>? ByMonthWeek,
    IReadOnlyList<int>? ByMonthDay,
    string? StartTime,
    string? EndTime,
    string? Duration,
    string ScheduleTimezone,
    IReadOnlyList<string>? ExceptDate)
{
    private static readonly Dictionary<string, string> Days = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mo"] = "Monday", ["tu"] = "Tuesday", ["we"] = "Wednesday", ["th"] = "Thursday", ["fr"] = "Friday", ["sa"] = "Saturday", ["su"] = "Sunday",
    };

    public static ScheduleLd? From(EventDetailDto e, Events.Series.SeriesDto series)
    {
        var weekdays = series.ByDay.Select(d => (Ordinal: d.Length > 2 ? int.Parse(d[..^2], CultureInfo.InvariantCulture) : (int?)null, Day: Days[d[^2..]])).ToList();
        var ordinals = weekdays.Select(d => d.Ordinal).Distinct().ToList();

        // byMonthWeek applies to every byDay: one ordinal shared by all weekdays (or none) is all it can say.
        if (ordinals.Count > 1 || ordinals.Any(o => o < 0) || series.ByMonthDay.Any(d => d < 0))
        {
            return null;
        }

        var unit = series.Frequency switch
        {
            Domain.Events.RecurrenceFrequency.Daily => "D",
            Domain.Events.RecurrenceFrequency.Weekly => "W",
            _ => "M",
        };

        string? startTime = null, endTime = null, duration = null;
        if (!e.AllDay)
        {
            var start = DateTimeOffset.Parse(e.Start, CultureInfo.InvariantCulture);
            startTime = start.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
            if (e.End is { } endText)
            {
                var end = DateTimeOffset.Parse(endText, CultureInfo.InvariantCulture);
                endTime = end.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
                duration = System.Xml.XmlConvert.ToString(end - start);
            }
        }

        var except = series.ExceptDates
            .Concat(series.Overrides.Where(o => o.Status == Domain.Events.EventStatus.Cancelled).Select(o => o.Occurrence))
            .Order(StringComparer.Ordinal).ToList();
        return new ScheduleLd(
            "Schedule",
            e.Start[..10],
            series.LastDate,
            $"P{series.Interval.ToString(CultureInfo.InvariantCulture)}{unit}",
            series.Count,
            weekdays.Count == 0 ? null : weekdays.Select(d => "https://schema.org/" + d.Day).ToList(),
            ordinals is [int ordinal] ? [ordinal] : null,
            series.ByMonthDay.Count == 0 ? null : series.ByMonthDay,
            startTime,
            endTime,
            duration,
            e.TimeZone,
            except.Count == 0 ? null : except);
    }
}
