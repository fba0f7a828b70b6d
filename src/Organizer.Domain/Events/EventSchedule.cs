using NodaTime;
using NodaTime.TimeZones;
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

    /// <summary>
    /// A timed occurrence of a series, from instants already resolved in its zone: a wall-clock time that the clocks
    /// skip has been moved forward by the gap, as RFC 5545 reads it, rather than refused as a posted time is.
    /// </summary>
    public static EventSchedule TimedAt(Instant start, Instant? end, DateTimeZone zone)
    {
        var localStart = start.InZone(zone).LocalDateTime;
        var localEnd = end?.InZone(zone).LocalDateTime ?? localStart;
        return new EventSchedule
        {
            AllDay = false,
            StartsAt = start.ToDateTimeOffset(),
            EndsAt = end?.ToDateTimeOffset(),
            StartDate = DateOnly.FromDateTime(localStart.ToDateTimeUnspecified()),
            EndDate = DateOnly.FromDateTime(localEnd.ToDateTimeUnspecified()),
            TimeZone = zone.Id,
            Precision = DatePrecision.Exact,
            SortAt = start.ToDateTimeOffset(),
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

        // A few zones skip midnight on DST days; then the day starts when the clocks land after the gap. A zone that
        // skipped the whole day (Samoa and Tokelau skipped 2011-12-30) still sorts the date where its midnight would be.
        var date = new LocalDate(firstDay.Year, firstDay.Month, firstDay.Day);
        ZonedDateTime midnight;
        try
        {
            midnight = zone.AtStartOfDay(date);
        }
        catch (SkippedTimeException)
        {
            midnight = zone.ResolveLocal(date.AtMidnight(), Resolvers.LenientResolver);
        }

        return new EventSchedule
        {
            AllDay = true,
            StartDate = firstDay,
            EndDate = lastDay,
            TimeZone = zone.Id,
            Precision = precision,
            SortAt = midnight.ToInstant().ToDateTimeOffset(),
        };
    }

    /// <summary>
    /// Finds an IANA zone in NodaTime's tz database, the one source of zone rules for stored instants, the API's local
    /// times and the feeds' VTIMEZONEs (the system's tzdata may be a different release). Windows ids are refused with
    /// the IANA id to use instead.
    /// </summary>
    public static DateTimeZone FindZone(string timeZone)
    {
        if (string.IsNullOrWhiteSpace(timeZone))
        {
            throw new DomainRuleException("timeZone", "A time zone is required (an IANA id such as America/Toronto).");
        }

        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) is { } zone)
        {
            return zone;
        }

        if (TimeZoneInfo.TryConvertWindowsIdToIanaId(timeZone, out var iana))
        {
            throw new DomainRuleException("timeZone", $"'{timeZone}' is a Windows time-zone id; use the IANA id '{iana}'.");
        }

        throw new DomainRuleException("timeZone", $"'{timeZone}' is not a known IANA time-zone id (such as America/Toronto).");
    }

    /// <summary>The wall-clock time an instant shows in a zone.</summary>
    public static DateTime ToLocal(DateTimeOffset instant, DateTimeZone zone) =>
        Instant.FromDateTimeOffset(instant).InZone(zone).LocalDateTime.ToDateTimeUnspecified();

    private static DateTimeOffset ToUtc(DateTime local, DateTimeZone zone, string field)
    {
        var mapping = zone.MapLocal(LocalDateTime.FromDateTime(local));
        if (mapping.Count == 0)
        {
            throw new DomainRuleException(field, $"{local:yyyy-MM-ddTHH:mm} does not exist in {zone.Id} (the clocks skip it).");
        }

        // A time the clocks show twice (when they fall back) is the first of the two, as RFC 5545 §3.3.5 reads a
        // TZID time: so the stored instant and the feed's DTSTART agree in every calendar app.
        return mapping.First().ToInstant().ToDateTimeOffset();
    }
}
