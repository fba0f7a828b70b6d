using NodaTime;
using Organizer.Application.Events.Series;
using Organizer.Domain.Events;

namespace Organizer.Application.Feeds;

/// <summary>
/// The occurrences of a series that calendar clients misread from its rule, so that a feed writes each of them out with
/// its own times (a RECURRENCE-ID VEVENT): those whose wall-clock start falls in a DST gap or overlap, and those that
/// run across a change of offset or end at a time the clocks show twice.
/// </summary>
/// <remarks>
/// Measured against the parsers in tests/calendar-parsers: ical.js reads a local time in a gap or an overlap with the
/// offset after the change, and ends every occurrence at its wall-clock start plus the duration; Ical.Net ends one at
/// the earlier reading of an end the clocks show twice; python's recurring-ical-events and libical read an overlap
/// start as the later time. An occurrence whose start and end each exist once, in the same offset, is read alike by all.
/// </remarks>
public static class MisreadOccurrences
{
    /// <summary>
    /// How many years after the render's own year a feed writes such occurrences out; past that a client reads the rule
    /// alone (an occurrence in a gap or overlap may then be an hour off in some).
    /// </summary>
    public const int YearsAhead = 10;

    /// <summary>
    /// The unchanged, not removed occurrences that clients misread, in date order, from the first up to the end of
    /// <paramref name="lastYear"/> (or the series' last date). Only dates near a change of offset are looked at.
    /// </summary>
    public static List<Occurrence> Of(Event series, int lastYear)
    {
        var found = new List<Occurrence>();
        var schedule = series.Schedule;
        if (series.Recurrence is null || schedule.AllDay || schedule.StartsAt is not { } first)
        {
            return found;
        }

        var zone = EventSchedule.FindZone(schedule.TimeZone);
        var start = Instant.FromDateTimeOffset(first);
        var time = start.InZone(zone).TimeOfDay;
        var length = schedule.EndsAt is { } end ? Instant.FromDateTimeOffset(end) - start : Duration.Zero;
        var spanDays = schedule.EndDate.DayNumber - schedule.StartDate.DayNumber;
        var firstDay = LocalDate.FromDateOnly(schedule.StartDate);
        var lastDay = new LocalDate(lastYear, 12, 31);
        if (series.SeriesEndDate is { } seriesEnd && LocalDate.FromDateOnly(seriesEnd) < lastDay)
        {
            lastDay = LocalDate.FromDateOnly(seriesEnd);
        }

        if (lastDay < firstDay)
        {
            return found;
        }

        var looked = new HashSet<LocalDate>();
        var from = start - Duration.FromDays(1);
        var until = lastDay.PlusDays(spanDays + 2).AtStartOfDayInZone(zone).ToInstant();
        foreach (var interval in zone.GetZoneIntervals(from, until))
        {
            if (!interval.HasStart || interval.Start < from)
            {
                continue;
            }

            // The occurrences that start or end near this change: from those begun a span earlier to the day after.
            var day = interval.Start.InZone(zone).Date;
            for (var date = day.PlusDays(-spanDays - 1); date <= day.PlusDays(1); date = date.PlusDays(1))
            {
                if (date < firstDay || date > lastDay || !looked.Add(date) || !Misread(zone, date.At(time), length))
                {
                    continue;
                }

                if (SeriesExpansion.On(series, date.ToDateOnly()) is { Override: null } occurrence)
                {
                    found.Add(occurrence);
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Whether some client misreads an occurrence that the rule starts at <paramref name="wall"/> and that lasts
    /// <paramref name="length"/>: unless its start and end each exist once, in the same offset, wall-clock arithmetic and
    /// each client's reading of the local times part ways with the instants.
    /// </summary>
    public static bool Misread(DateTimeZone zone, LocalDateTime wall, Duration length)
    {
        var mapping = zone.MapLocal(wall);
        if (mapping.Count != 1)
        {
            return true;
        }

        var start = mapping.Single();
        var end = start.ToInstant() + length;
        var endWall = end.InZone(zone);
        return endWall.Offset != start.Offset || zone.MapLocal(endWall.LocalDateTime).Count != 1;
    }
}
