using Organizer.Domain.Common;

namespace Organizer.Domain.Events;

/// <summary>
/// When an event happens. Timed events are instants in an IANA zone; all-day events are local dates.
/// Both carry their local start and (inclusive) end dates so that date filters compare in the event's own calendar,
/// and a sort instant so that timed and all-day events interleave correctly.
/// </summary>
public sealed record EventSchedule
{
    /// <summary>The longest a timed event may last; anything longer is a series of days, not one sitting.</summary>
    public static readonly TimeSpan MaxTimedDuration = TimeSpan.FromDays(31);

    private EventSchedule()
    {
    }

    public bool AllDay { get; private init; }

    /// <summary>UTC start of a timed event; null for all-day events.</summary>
    public DateTimeOffset? StartsAt { get; private init; }

    /// <summary>UTC end of a timed event, when known.</summary>
    public DateTimeOffset? EndsAt { get; private init; }

    public DateOnly StartDate { get; private init; }

    /// <summary>Last local day the event covers (inclusive).</summary>
    public DateOnly EndDate { get; private init; }

    public string TimeZone { get; private init; } = "";

    public DatePrecision Precision { get; private init; }

    /// <summary>The instant the event starts: for all-day events, local midnight of the first day.</summary>
    public DateTimeOffset SortAt { get; private init; }

    public static EventSchedule Timed(DateTime localStart, DateTime? localEnd, string timeZone)
    {
        var zone = FindZone(timeZone);
        var start = ToUtc(localStart, zone, "start");
        DateTimeOffset? end = localEnd is { } le ? ToUtc(le, zone, "end") : null;
        if (end < start)
        {
            throw new DomainRuleException("end", "The end must not be before the start.");
        }

        if (end - start > MaxTimedDuration)
        {
            throw new DomainRuleException("end", $"A timed event lasts at most {MaxTimedDuration.TotalDays:0} days; record a longer one as all-day dates.");
        }

        return new EventSchedule
        {
            AllDay = false,
            StartsAt = start,
            EndsAt = end,
            StartDate = DateOnly.FromDateTime(localStart),
            EndDate = DateOnly.FromDateTime(localEnd ?? localStart),
            TimeZone = zone.Id,
            Precision = DatePrecision.Exact,
            SortAt = start,
        };
    }

    /// <param name="lastDay">The last day the event covers, inclusive.</param>
    public static EventSchedule AllDayRange(DateOnly firstDay, DateOnly lastDay, string timeZone, DatePrecision precision = DatePrecision.Day)
    {
        if (precision == DatePrecision.Exact)
        {
            throw new DomainRuleException("datePrecision", "An all-day event cannot have an exact time; use a timed event.");
        }

        if (lastDay < firstDay)
        {
            throw new DomainRuleException("end", "The end must not be before the start.");
        }

        var zone = FindZone(timeZone);
        var midnight = firstDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);

        // A few zones skip midnight on DST days; the first valid minute after it is the day's start.
        while (zone.IsInvalidTime(midnight))
        {
            midnight = midnight.AddMinutes(30);
        }

        return new EventSchedule
        {
            AllDay = true,
            StartDate = firstDay,
            EndDate = lastDay,
            TimeZone = zone.Id,
            Precision = precision,
            SortAt = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(midnight, zone), TimeSpan.Zero),
        };
    }

    /// <summary>Finds an IANA zone. Windows ids are refused with the IANA id to use instead.</summary>
    public static TimeZoneInfo FindZone(string timeZone)
    {
        if (string.IsNullOrWhiteSpace(timeZone))
        {
            throw new DomainRuleException("timeZone", "A time zone is required (an IANA id such as America/Toronto).");
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) && zone.HasIanaId)
        {
            return zone;
        }

        if (TimeZoneInfo.TryConvertWindowsIdToIanaId(timeZone, out var iana))
        {
            throw new DomainRuleException("timeZone", $"'{timeZone}' is a Windows time-zone id; use the IANA id '{iana}'.");
        }

        throw new DomainRuleException("timeZone", $"'{timeZone}' is not a known IANA time-zone id (such as America/Toronto).");
    }

    private static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone, string field)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
        {
            throw new DomainRuleException(field, $"{unspecified:yyyy-MM-ddTHH:mm} does not exist in {zone.Id} (the clocks skip it).");
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(unspecified, zone), TimeSpan.Zero);
    }
}
