using System.Globalization;
using System.Text;
using Calendar = Ical.Net.Calendar;
using CalendarProperty = Ical.Net.CalendarProperty;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Organizer.Application.Common;
using Organizer.Application.Common.Models;
using Organizer.Domain.Common;
using Organizer.Domain.Events;
using Organizer.Application.Common.Links;

namespace Organizer.Application.Feeds;

/// <summary>What a feed says about itself.</summary>
public sealed record FeedHeader(string Name, string Description);

/// <summary>One event as a feed shows it, with everything its VEVENT needs already loaded.</summary>
public sealed record FeedEvent(
    Guid Id,
    string Slug,
    string Title,
    EventKind Kind,
    EventStatus Status,
    EventSchedule Schedule,
    string? DateNote,
    Guid? ParentId,
    string? Description,
    string? PlaceName,
    string? PlaceAddress,
    string? PlaceCity,
    string? PlaceRegion,
    string? PlaceCountryCode,
    double? Latitude,
    double? Longitude,
    string? OnlineUrl,
    IReadOnlyList<(string Name, ParticipationRole Role)> Organizations,
    IReadOnlyList<(string Name, string? Role, string? Affiliation)> Speakers,
    Attendance? Attendance,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Demands,
    IReadOnlyList<SourceDto> Sources,
    int Sequence,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>
/// Turns events into iCalendar text with Ical.Net (RFC 5545 + RFC 7986), shaped for what real clients need:
/// no METHOD and no ORGANIZER (a published snapshot, not an invitation), a VTIMEZONE for every TZID, exclusive
/// DTEND for all-day events, stable UIDs, and DTSTAMP/LAST-MODIFIED at the event's last change.
/// </summary>
public static class CalendarWriter
{
    public const string ProductId = "-//Organizer//Organizer Calendar Feeds 1.0//EN";

    /// <param name="now">Ical.Net builds zone rules from a year before the date it is given up to now, and throws
    /// when that start is after now; so an event more than a year ahead must not move the start past now.</param>
    /// <param name="eventUrl">An event's address, from its slug.</param>
    public static string Write(FeedHeader header, IReadOnlyList<FeedEvent> events, Func<string, string> eventUrl, string uidDomain, DateTimeOffset now)
    {
        var calendar = new Calendar { ProductId = ProductId, Version = "2.0" };
        calendar.AddProperty("NAME", Clean(header.Name));
        calendar.AddProperty("X-WR-CALNAME", Clean(header.Name));
        calendar.AddProperty("DESCRIPTION", Clean(header.Description));
        calendar.AddProperty("X-WR-CALDESC", Clean(header.Description));
        var refresh = new CalendarProperty("REFRESH-INTERVAL", "PT1H");
        refresh.AddParameter("VALUE", "DURATION");
        calendar.AddProperty(refresh);
        calendar.AddProperty("X-PUBLISHED-TTL", "PT1H");

        // One VTIMEZONE per TZID used, reaching back far enough to cover the oldest event in that zone.
        foreach (var zone in events.Where(e => !e.Schedule.AllDay).GroupBy(e => e.Schedule.TimeZone).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var earliest = zone.Min(e => e.Schedule.StartsAt!.Value).UtcDateTime.AddDays(-1);
            earliest = earliest < now.UtcDateTime ? earliest : now.UtcDateTime;
            calendar.AddTimeZone(zone.Key, earliest, false);
        }

        foreach (var e in events)
        {
            calendar.Events.Add(ToVEvent(e, eventUrl(e.Slug), uidDomain));
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    public static string Uid(Guid id, string uidDomain) => $"{id:D}@{uidDomain}";

    private static CalendarEvent ToVEvent(FeedEvent e, string url, string uidDomain)
    {
        var vevent = new CalendarEvent
        {
            Uid = Uid(e.Id, uidDomain),
            Summary = Clean(e.Title),
            Description = Clean(Describe(e, url)),
            Sequence = e.Sequence,
            Status = e.Status switch
            {
                EventStatus.Cancelled => "CANCELLED",
                EventStatus.Scheduled => "CONFIRMED",
                _ => "TENTATIVE",
            },
            DtStamp = Utc(e.UpdatedAt),
            LastModified = Utc(e.UpdatedAt),
            Created = Utc(e.CreatedAt),
            Url = new Uri(url),
        };

        if (e.Schedule.AllDay)
        {
            vevent.DtStart = new CalDateTime(e.Schedule.StartDate);

            // RFC 5545 §3.6.1: an all-day DTEND is exclusive — the day after the last day.
            vevent.DtEnd = new CalDateTime(e.Schedule.EndDate.AddDays(1));
        }
        else
        {
            var zone = EventSchedule.FindZone(e.Schedule.TimeZone);
            vevent.DtStart = Local(e.Schedule.StartsAt!.Value, zone);
            if (e.Schedule.EndsAt is { } end)
            {
                vevent.DtEnd = Local(end, zone);
            }
        }

        if (Location(e) is { } location)
        {
            vevent.Location = Clean(location);
        }

        if (e.Latitude is { } lat && e.Longitude is { } lon)
        {
            vevent.GeographicLocation = new GeographicLocation(lat, lon);
        }

        vevent.Categories.Add(e.Kind.ToKebab());
        foreach (var tag in e.Tags)
        {
            vevent.Categories.Add(Clean(tag));
        }

        // Organizers are named in CONTACT and DESCRIPTION, never as ORGANIZER: that makes Outlook offer accept/decline.
        foreach (var (name, role) in e.Organizations.Where(o => o.Role is ParticipationRole.Host or ParticipationRole.CoOrganizer).OrderBy(o => o.Role).ThenBy(o => o.Name, StringComparer.Ordinal))
        {
            vevent.Contacts.Add(Clean($"{name} ({role.ToKebab()})"));
        }

        if (e.ParentId is { } parent)
        {
            vevent.AddProperty("RELATED-TO", Uid(parent, uidDomain));
        }

        return vevent;
    }

    private static string? Location(FeedEvent e)
    {
        if (e.PlaceName is null)
        {
            return e.OnlineUrl;
        }

        var parts = new List<string> { e.PlaceName };
        foreach (var part in new[] { e.PlaceAddress, e.PlaceCity, e.PlaceRegion, e.PlaceCountryCode })
        {
            if (!string.IsNullOrWhiteSpace(part) && !parts.Contains(part, StringComparer.OrdinalIgnoreCase))
            {
                parts.Add(part);
            }
        }

        return string.Join(", ", parts);
    }

    private static string Describe(FeedEvent e, string url)
    {
        var text = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(e.Description))
        {
            text.Append(e.Description.Trim()).Append("\n\n");
        }

        if (e.Organizations.Count > 0)
        {
            text.Append("Organizations: ")
                .AppendJoin("; ", e.Organizations.OrderBy(o => o.Role).ThenBy(o => o.Name, StringComparer.Ordinal).Select(o => $"{o.Name} ({o.Role.ToKebab()})"))
                .Append('\n');
        }

        if (e.Speakers.Count > 0)
        {
            text.Append("Speakers: ")
                .AppendJoin("; ", e.Speakers.Select(s => string.Join(", ", new[] { s.Name, s.Role, s.Affiliation }.Where(p => !string.IsNullOrWhiteSpace(p)))))
                .Append('\n');
        }

        if (e.Demands.Count > 0)
        {
            text.Append("Demands:\n");
            foreach (var demand in e.Demands)
            {
                text.Append("- ").Append(demand).Append('\n');
            }
        }

        if (e.Attendance is { } attendance)
        {
            text.Append("Attendance (as reported): ").Append(attendance.Reported).Append('\n');
        }

        if (e.Schedule.Precision is DatePrecision.Week or DatePrecision.Month or DatePrecision.Year)
        {
            text.Append("Date known only to the ").Append(e.Schedule.Precision.ToKebab()).Append(": the calendar shows the whole ")
                .Append(e.Schedule.Precision.ToKebab()).Append(".\n");
        }

        if (!string.IsNullOrWhiteSpace(e.DateNote))
        {
            text.Append("About the date: ").Append(e.DateNote).Append('\n');
        }

        if (e.Sources.Count > 0)
        {
            text.Append("Sources:\n");
            foreach (var source in e.Sources)
            {
                var origin = string.Join(", ", new[] { source.Publication, source.Author, source.PublishedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }
                    .Where(p => !string.IsNullOrWhiteSpace(p)));
                text.Append("- \"").Append(source.Quote).Append("\" (").Append(source.Title ?? source.Document)
                    .Append(origin.Length > 0 ? ", " + origin : "").Append(")\n");
            }
        }

        text.Append('\n').Append(url);
        return text.ToString();
    }

    private static CalDateTime Utc(DateTimeOffset instant) => new(instant.UtcDateTime, "UTC");

    private static CalDateTime Local(DateTimeOffset instant, NodaTime.DateTimeZone zone)
    {
        var local = EventSchedule.ToLocal(instant, zone);
        return new CalDateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second, zone.Id);
    }

    /// <summary>
    /// Ical.Net escapes text, but passes control characters through raw, and a NUL makes the whole file invalid.
    /// Keep newlines (normalised to LF, which the serializer escapes) and tabs; drop every other control character.
    /// </summary>
    public static string Clean(string text)
    {
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (!normalized.Any(c => char.IsControl(c) && c is not '\n' and not '\t'))
        {
            return normalized;
        }

        return string.Concat(normalized.Where(c => !char.IsControl(c) || c is '\n' or '\t'));
    }
}
