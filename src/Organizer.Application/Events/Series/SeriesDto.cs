using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Places;
using Organizer.Domain.Events;

namespace Organizer.Application.Events.Series;

/// <summary>One occurrence of a series, addressable at /api/events/{series}/occurrences/{occurrence}.</summary>
/// <param name="Occurrence">The date the rule gives it (YYYY-MM-DD), which names it even when it moved.</param>
/// <param name="Changed">Whether it differs from the series (its own time, place, title or status).</param>
public sealed record OccurrenceDto(
    string Occurrence,
    string Title,
    EventStatus Status,
    string? StatusReason,
    bool AllDay,
    string Start,
    string? End,
    PlaceRefDto? Place,
    bool Changed,
    int Sequence);

/// <summary>A series' rule, in its parts and as RRULE text, with its removed dates, its changed occurrences and what comes next.</summary>
/// <param name="Rrule">The RRULE value a calendar app reads (a timed series' UNTIL in UTC).</param>
/// <param name="LastDate">The last date the series reaches; null when it never ends.</param>
/// <param name="Next">The next occurrences from now (at most five), cancelled ones included with their status.</param>
public sealed record SeriesDto(
    RecurrenceFrequency Frequency,
    int Interval,
    IReadOnlyList<string> ByDay,
    IReadOnlyList<int> ByMonthDay,
    int? Count,
    string? Until,
    string Rrule,
    string? LastDate,
    IReadOnlyList<string> ExceptDates,
    IReadOnlyList<OccurrenceDto> Overrides,
    IReadOnlyList<OccurrenceDto> Next);

/// <summary>Composes a series' view for the event's detail.</summary>
internal static class SeriesView
{
    public const int NextCount = 5;

    /// <param name="places">The places occurrences are held at, by id (the series' own and any an occurrence moved to).</param>
    public static SeriesDto Compose(Event series, DateTimeOffset now, IReadOnlyDictionary<Guid, PlaceRefDto> places)
    {
        var rule = series.Recurrence!;
        var today = DateOnly.FromDateTime(EventSchedule.ToLocal(now, EventSchedule.FindZone(series.Schedule.TimeZone)));
        var overrides = series.Overrides
            .Select(o => SeriesExpansion.On(series, o.Occurrence))
            .OfType<Occurrence>()
            .OrderBy(o => o.Date)
            .Select(o => ToDto(o, places))
            .ToList();
        var next = SeriesExpansion.From(series, today, new ExpansionBudget())
            .Where(o => (o.Schedule.EndsAt ?? o.Schedule.StartsAt ?? DateTimeOffset.MaxValue) >= now || (o.Schedule.AllDay && o.Schedule.EndDate >= today))
            .Take(NextCount)
            .Select(o => ToDto(o, places))
            .ToList();
        return new SeriesDto(
            rule.Frequency,
            rule.Interval,
            rule.ByDay.Select(d => d.ToString().ToLowerInvariant()).ToList(),
            rule.ByMonthDay,
            rule.Count,
            rule.Until?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            rule.ToRRule(series.Schedule),
            series.SeriesEndDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            series.ExceptDates.Order().Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList(),
            overrides,
            next);
    }

    public static OccurrenceDto ToDto(Occurrence o, IReadOnlyDictionary<Guid, PlaceRefDto> places)
    {
        var (start, end) = ScheduleFormat.Format(o.Schedule);
        return new OccurrenceDto(
            o.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            o.Title,
            o.Status,
            o.StatusReason,
            o.Schedule.AllDay,
            start,
            end,
            o.PlaceId is { } id && places.TryGetValue(id, out var place) ? place : null,
            o.Override is not null,
            o.Sequence);
    }

    /// <summary>The series' place and every place one of its occurrences moved to.</summary>
    public static async Task<IReadOnlyDictionary<Guid, PlaceRefDto>> PlacesAsync(IOrganizerDbContext db, Event series, CancellationToken cancellationToken)
    {
        var ids = series.Overrides.Select(o => o.PlaceId).Append(series.PlaceId).OfType<Guid>().Distinct().ToList();
        return ids.Count == 0
            ? new Dictionary<Guid, PlaceRefDto>()
            : await db.Places.AsNoTracking().Where(p => ids.Contains(p.Id))
                .ToDictionaryAsync(p => p.Id, p => new PlaceRefDto(p.Slug, p.Name, p.City, p.CountryCode), cancellationToken);
    }
}
