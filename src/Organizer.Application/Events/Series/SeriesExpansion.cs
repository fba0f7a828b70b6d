using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;
using NodaTime;
using NodaTime.TimeZones;
using Duration = NodaTime.Duration;
using Organizer.Domain.Events;

namespace Organizer.Application.Events.Series;

/// <summary>One occurrence of a series as readers see it: the series' values, or the occurrence's own where it was changed.</summary>
/// <param name="Date">The local date the rule gives the occurrence: its name, kept when it moves.</param>
/// <param name="Schedule">When it actually happens.</param>
public sealed record Occurrence(
    DateOnly Date,
    EventSchedule Schedule,
    EventStatus Status,
    string? StatusReason,
    string Title,
    Guid? PlaceId,
    int Sequence,
    OccurrenceOverride? Override)
{
    /// <summary>The wall-clock start the rule gives it (midnight for an all-day series): a feed's RECURRENCE-ID.</summary>
    public required LocalDateTime RuleStart { get; init; }
}

/// <summary>
/// How many occurrences one request may still expand. A series without an end has no last occurrence, and a request
/// for a long window of a daily series could otherwise make millions.
/// </summary>
public sealed class ExpansionBudget(int occurrences = SeriesExpansion.MaxPerRequest)
{
    public int Left { get; private set; } = occurrences;

    /// <summary>Whether some expansion stopped short because the budget ran out.</summary>
    public bool Exhausted { get; private set; }

    internal bool TrySpend()
    {
        if (Left == 0)
        {
            Exhausted = true;
            return false;
        }

        Left--;
        return true;
    }
}

/// <summary>
/// Expands a series: Ical.Net evaluates the rule on wall-clock times (floating, so its own zone handling never enters),
/// and NodaTime's tz database, the one behind every stored instant and every feed VTIMEZONE, places each in the
/// series' zone. An occurrence keeps its wall-clock time across DST changes; one that falls in a gap moves forward by
/// the gap, and one in an overlap is the earlier of the two, as RFC 5545 reads a TZID time.
/// </summary>
public static class SeriesExpansion
{
    public const int MaxPerRequest = 1000;

    /// <summary>
    /// The occurrences that reach <paramref name="from"/> or later (all of them without it), in calendar order: sort
    /// instant, then date. Removed dates are left out; changed ones come at their own time. Lazy: an endless series is
    /// read only as far as the caller goes, and never further than <paramref name="budget"/> allows.
    /// </summary>
    public static IEnumerable<Occurrence> From(Event series, DateOnly? from, ExpansionBudget budget)
    {
        var rule = series.Recurrence ?? throw new InvalidOperationException($"'{series.Slug}' is not a series.");
        var shape = Shape.Of(series);
        var removed = series.ExceptDates.ToHashSet();
        var changed = series.Overrides.ToDictionary(o => o.Occurrence);

        // Changed occurrences may have moved anywhere: all are placed, and merged in where their own time falls. Each is
        // on a date of the rule: every write that changes the rule or the dates drops the changes it leaves off the
        // rule, so a read need not expand the rule again for each.
        var moved = series.Overrides
            .Where(o => !removed.Contains(o.Occurrence))
            .Select(o => shape.Changed(series, o))
            .Where(o => from is not { } f || o.Schedule.EndDate >= f)
            .OrderBy(o => o.Schedule.SortAt).ThenBy(o => o.Date)
            .ToList();
        var next = 0;

        // Read from early enough that an occurrence begun before the day and still going on is met.
        var readFrom = from is { } day ? day.AddDays(-shape.SpanDays - 1) : (DateOnly?)null;
        foreach (var start in RuleStarts(rule, shape, readFrom, budget))
        {
            var date = DateOnly.FromDateTime(start.Date.ToDateTimeUnspecified());
            if (removed.Contains(date) || changed.ContainsKey(date))
            {
                continue;
            }

            var occurrence = shape.Plain(series, start);
            if (from is { } f && occurrence.Schedule.EndDate < f)
            {
                continue;
            }

            for (; next < moved.Count && Before(moved[next], occurrence); next++)
            {
                yield return moved[next];
            }

            yield return occurrence;
        }

        for (; next < moved.Count; next++)
        {
            yield return moved[next];
        }
    }

    /// <summary>The occurrences that reach [<paramref name="from"/>, <paramref name="to"/>] (local dates, inclusive).</summary>
    public static IEnumerable<Occurrence> Between(Event series, DateOnly? from, DateOnly? to, ExpansionBudget budget) =>
        // In calendar order, and one zone's dates never run backwards: past the first that starts after the window,
        // none can fall in it.
        From(series, from, budget).TakeWhile(o => to is not { } last || o.Schedule.StartDate <= last);

    /// <summary>The occurrence the rule gives on <paramref name="date"/>, as it now is; null when there is none, or it was removed.</summary>
    public static Occurrence? On(Event series, DateOnly date)
    {
        if (series.ExceptDates.Contains(date) || !IsDate(series, date))
        {
            return null;
        }

        var shape = Shape.Of(series);
        return series.Overrides.FirstOrDefault(o => o.Occurrence == date) is { } changed
            ? shape.Changed(series, changed)
            : shape.Plain(series, shape.StartOn(date));
    }

    /// <summary>Whether the rule gives an occurrence on <paramref name="date"/> (removed or not).</summary>
    public static bool IsDate(Event series, DateOnly date)
    {
        if (series.Recurrence is not { } rule || date < series.Schedule.StartDate || (series.SeriesEndDate is { } end && date > end))
        {
            return false;
        }

        var shape = Shape.Of(series);
        var budget = new ExpansionBudget(MaxPerRequest);
        foreach (var start in RuleStarts(rule, shape, date, budget))
        {
            var day = DateOnly.FromDateTime(start.Date.ToDateTimeUnspecified());
            if (day >= date)
            {
                return day == date;
            }
        }

        return false;
    }

    /// <summary>
    /// The last local date a series reaches, for queries over dates; null when it never ends. A counted series is
    /// expanded to its end (at most <see cref="Recurrence.MaxCount"/> occurrences).
    /// </summary>
    public static DateOnly? EndDate(Recurrence rule, EventSchedule first)
    {
        if (!rule.IsBounded)
        {
            return null;
        }

        var shape = Shape.Of(rule, first);
        LocalDateTime? last = null;
        foreach (var start in RuleStarts(rule, shape, null, new ExpansionBudget(Recurrence.MaxCount + 1)))
        {
            last = start;
        }

        var lastStart = last ?? shape.First;
        return DateOnly.FromDateTime(lastStart.Date.ToDateTimeUnspecified()).AddDays(shape.SpanDays);
    }

    /// <summary>
    /// The last local date a series reaches with its changes: the rule's (<see cref="EndDate"/>), or later where a date
    /// was moved past it, so that queries over dates still find the series there. Null when it never ends.
    /// </summary>
    public static DateOnly? LastDate(Event series)
    {
        if (EndDate(series.Recurrence!, series.Schedule) is not { } end)
        {
            return null;
        }

        var moved = series.Overrides.Where(o => o.Start is not null).Select(o => DateOnly.FromDateTime(o.End ?? o.Start!.Value)).DefaultIfEmpty(end).Max();
        return moved > end ? moved : end;
    }

    /// <summary>
    /// Whether the first occurrence is one the rule picks. RFC 5545 counts DTSTART as the first occurrence whatever
    /// the rule says, and calendar apps differ on such a series: one that starts off its own rule is refused instead.
    /// </summary>
    public static bool StartsOnRule(Recurrence rule, EventSchedule first) =>
        rule.Picks(new LocalDate(first.StartDate.Year, first.StartDate.Month, first.StartDate.Day));

    private static bool Before(Occurrence a, Occurrence b) => a.Schedule.SortAt < b.Schedule.SortAt || (a.Schedule.SortAt == b.Schedule.SortAt && a.Date < b.Date);

    /// <summary>The rule's wall-clock starts, in order, from <paramref name="from"/> on (from the first without it), removed ones included.</summary>
    private static IEnumerable<LocalDateTime> RuleStarts(Recurrence rule, Shape shape, DateOnly? from, ExpansionBudget budget)
    {
        var first = shape.First;
        var calendarEvent = new CalendarEvent { DtStart = shape.AllDay ? new CalDateTime(first.Year, first.Month, first.Day) : Floating(first) };

        // The stored rule's UNTIL is a date; against a timed start Ical.Net wants a time of the same kind.
        var text = (rule with { Until = null }).ToString();
        if (rule.Until is { } until)
        {
            text += shape.AllDay ? $";UNTIL={until:yyyyMMdd}" : $";UNTIL={until:yyyyMMdd}T235959";
        }

        calendarEvent.RecurrenceRule = new RecurrencePattern(text);
        // Every supported rule matches within a few months of increments; a rule that stopped matching ends the series
        // rather than searching on.
        var options = new EvaluationOptions { MaxUnmatchedIncrementsLimit = 1_000 };
        var starting = from is { } day && day > DateOnly.FromDateTime(first.Date.ToDateTimeUnspecified())
            ? new CalDateTime(day.Year, day.Month, day.Day, 0, 0, 0)
            : null;
        IEnumerable<Ical.Net.DataTypes.Occurrence> occurrences;
        try
        {
            occurrences = starting is null ? calendarEvent.GetOccurrences(options: options) : calendarEvent.GetOccurrences(starting, options);
        }
        catch (EvaluationException)
        {
            yield break;
        }

        using var reader = occurrences.GetEnumerator();
        while (true)
        {
            try
            {
                if (!reader.MoveNext())
                {
                    yield break;
                }
            }
            catch (EvaluationException)
            {
                // The far end of the calendar, or a rule that has stopped matching: there is nothing more to give.
                yield break;
            }

            if (!budget.TrySpend())
            {
                yield break;
            }

            yield return LocalDateTime.FromDateTime(reader.Current.Period.StartTime.Value);
        }
    }

    private static CalDateTime Floating(LocalDateTime t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second);

    /// <summary>What every occurrence shares with the first: its wall-clock start, its length, its zone.</summary>
    private sealed record Shape(bool AllDay, LocalDateTime First, Duration? Length, int SpanDays, DateTimeZone Zone)
    {
        public static Shape Of(Event series) => Of(series.Recurrence!, series.Schedule);

        public static Shape Of(Recurrence rule, EventSchedule first)
        {
            var zone = EventSchedule.FindZone(first.TimeZone);
            if (first.AllDay)
            {
                var day = new LocalDate(first.StartDate.Year, first.StartDate.Month, first.StartDate.Day);
                return new Shape(true, day.AtMidnight(), null, first.EndDate.DayNumber - first.StartDate.DayNumber, zone);
            }

            var start = Instant.FromDateTimeOffset(first.StartsAt!.Value);
            Duration? length = first.EndsAt is { } end ? Instant.FromDateTimeOffset(end) - start : null;
            return new Shape(false, start.InZone(zone).LocalDateTime, length, first.EndDate.DayNumber - first.StartDate.DayNumber, zone);
        }

        public LocalDateTime StartOn(DateOnly date) => new LocalDate(date.Year, date.Month, date.Day).At(First.TimeOfDay);

        public Occurrence Plain(Event series, LocalDateTime start) => new(
            DateOnly.FromDateTime(start.Date.ToDateTimeUnspecified()),
            Place(start, null),
            series.Status,
            series.StatusReason,
            series.Title,
            series.PlaceId,
            series.Sequence,
            null)
        {
            RuleStart = start,
        };

        public Occurrence Changed(Event series, OccurrenceOverride o)
        {
            var ruleStart = StartOn(o.Occurrence);
            var schedule = o.Start is { } start ? Place(LocalDateTime.FromDateTime(start), o.End is { } end ? LocalDateTime.FromDateTime(end) : null) : Place(ruleStart, null);
            return new Occurrence(o.Occurrence, schedule, o.Status ?? series.Status, o.Status is null ? series.StatusReason : o.StatusReason,
                o.Title ?? series.Title, o.PlaceId ?? series.PlaceId, Math.Max(o.Sequence, series.Sequence), o)
            {
                RuleStart = ruleStart,
            };
        }

        /// <param name="end">The occurrence's own end, when it was moved with one; otherwise it lasts as long as the first.</param>
        private EventSchedule Place(LocalDateTime start, LocalDateTime? end)
        {
            if (AllDay)
            {
                var first = DateOnly.FromDateTime(start.Date.ToDateTimeUnspecified());
                var last = end is { } e ? DateOnly.FromDateTime(e.Date.ToDateTimeUnspecified()) : first.AddDays(SpanDays);
                return EventSchedule.AllDayRange(first, last, Zone.Id);
            }

            var at = Zone.ResolveLocal(start, Resolvers.LenientResolver).ToInstant();
            Instant? until = end is { } e2 ? Zone.ResolveLocal(e2, Resolvers.LenientResolver).ToInstant() : Length is { } l ? at + l : null;
            return EventSchedule.TimedAt(at, until, Zone);
        }
    }
}
