using NodaTime;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

internal static class ScheduleFormat
{
    /// <summary>The API's ISO 8601 start and end: dates for all-day events, local date-times with offset otherwise.</summary>
    public static (string Start, string? End) Format(EventSchedule schedule) =>
        Format(schedule.AllDay, schedule.StartDate, schedule.EndDate, schedule.StartsAt, schedule.EndsAt, schedule.TimeZone);

    /// <summary>The same, from a schedule's columns, for lists that read only those.</summary>
    public static (string Start, string? End) Format(bool allDay, DateOnly startDate, DateOnly endDate, DateTimeOffset? startsAt, DateTimeOffset? endsAt, string timeZone)
    {
        if (allDay)
        {
            return (startDate.ToString("yyyy-MM-dd"), endDate.ToString("yyyy-MM-dd"));
        }

        var zone = EventSchedule.FindZone(timeZone);
        return (Local(startsAt!.Value, zone), endsAt is { } end ? Local(end, zone) : null);
    }

    private static string Local(DateTimeOffset instant, DateTimeZone zone) =>
        Instant.FromDateTimeOffset(instant).InZone(zone).ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Host first, then co-organizers, participants and endorsers, each by name.</summary>
    public static IReadOnlyList<EventOrganizationDto> Organizations(IEnumerable<EventOrganizationDto> rows) =>
        rows.OrderBy(r => r.Role).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
}
