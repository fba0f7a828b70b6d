using Organizer.Application.Events.Series;
using Organizer.Domain.Events;

namespace Organizer.Application.Timeline;

/// <summary>
/// An organization's series as actions: each occurrence at its own time, in the timeline's order either way, merged
/// with the actions the read model returns. Expansion is lazy and shares the request's <see cref="ExpansionBudget"/>,
/// so an endless series is read only as far as a page needs.
/// </summary>
internal static class SeriesActions
{
    /// <summary>
    /// Occurrences from the first whose start reaches <paramref name="from"/> (a local date in the series' zone), soonest
    /// first: <see cref="SeriesExpansion.From"/>, which reads forward.
    /// </summary>
    public static IEnumerable<Occurrence> Ascending(Event series, DateOnly from, ExpansionBudget budget) =>
        SeriesExpansion.From(series, from, budget);

    /// <summary>
    /// Occurrences that start on or before <paramref name="upTo"/> (a local date in the series' zone), latest first,
    /// down to those that still reach <paramref name="floor"/>. The rule reads only forward, so this reads it in
    /// windows stepping back from <paramref name="upTo"/>, each twice as long as the last, starting from about four
    /// occurrences: a page of the past costs about what it shows, whether the series began last month or in 1990.
    /// A window cut short by the budget yields nothing, as its latest occurrences are the ones not read.
    /// </summary>
    /// <param name="notBefore">Where the caller needs no more: no occurrence starting before it is read.</param>
    public static IEnumerable<Occurrence> Descending(Event series, DateOnly upTo, DateOnly? floor, DateOnly? notBefore, ExpansionBudget budget)
    {
        // An occurrence moved away from its rule date may lie before the first or after the last.
        var moved = series.Overrides.Where(o => o.Start is not null).ToList();
        var earliest = moved.Select(o => DateOnly.FromDateTime(o.Start!.Value)).Append(series.Schedule.StartDate).Min();
        var latest = series.SeriesEndDate is { } end
            ? moved.Select(o => DateOnly.FromDateTime(o.Start!.Value)).Append(end).Max()
            : DateOnly.MaxValue;
        var longest = moved.Where(o => o.End is not null).Select(o => (int)(o.End!.Value - o.Start!.Value).TotalDays + 1)
            .Append(series.Schedule.EndDate.DayNumber - series.Schedule.StartDate.DayNumber + 1).Max();
        var stop = floor is { } f && f.AddDays(-longest) > earliest ? f.AddDays(-longest) : earliest;
        if (notBefore is { } n && n > stop)
        {
            stop = n;
        }

        var upper = upTo < latest ? upTo : latest;
        var step = 4 * DaysBetween(series.Recurrence!);
        while (upper >= stop)
        {
            // This window holds the occurrences that start in (lower, upper]; the last one reaches down to stop.
            var lower = upper.DayNumber - stop.DayNumber >= step ? upper.AddDays(-step) : stop.AddDays(-1);
            var top = upper;
            var window = SeriesExpansion.From(series, lower, budget)
                .TakeWhile(o => o.Schedule.StartDate <= top)
                .Where(o => o.Schedule.StartDate > lower)
                .ToList();
            if (budget.Exhausted)
            {
                yield break;
            }

            for (var i = window.Count - 1; i >= 0; i--)
            {
                yield return window[i];
            }

            upper = lower;
            step = Math.Min(step * 2, 3660);
        }
    }

    /// <summary>About how many days apart the rule's occurrences are, to size the first window.</summary>
    private static int DaysBetween(Recurrence rule)
    {
        var perPeriod = Math.Max(1, rule.ByDay.Count + rule.ByMonthDay.Count);
        return rule.Frequency switch
        {
            RecurrenceFrequency.Daily => rule.Interval,
            RecurrenceFrequency.Weekly => Math.Max(1, 7 * rule.Interval / perPeriod),
            // A weekday without an ordinal ("every Monday") is about four a month.
            _ => Math.Max(1, 30 * rule.Interval / (rule.ByDay.Any(d => d.Ordinal is null) ? 4 * perPeriod : perPeriod)),
        };
    }

    /// <summary>
    /// The first <paramref name="take"/> items of ordered <paramref name="sources"/>, merged in the order of their
    /// keys (descending with <paramref name="descending"/>): <see cref="OrderedMerge"/>, whose <paramref name="cut"/>
    /// says that the budget ran out and more may follow.
    /// </summary>
    public static List<T> Merge<T>(
        IEnumerable<IEnumerable<T>> sources, Func<T, TimelineCursor> key, bool descending, int take, ExpansionBudget budget, out bool cut)
    {
        var order = descending ? Comparer<TimelineCursor>.Create((a, b) => TimelineCursor.Compare(b, a)) : TimelineCursor.Comparer;
        var merged = OrderedMerge.Take(sources.Select(s => new MergeStream<T, TimelineCursor>(s)), key, order, fence: null, budget, take);
        cut = merged.CutShort;
        return merged.Items;
    }
}
