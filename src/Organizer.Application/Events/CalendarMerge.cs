using Organizer.Application.Common.Models;
using Organizer.Application.Events.Series;

namespace Organizer.Application.Events;

/// <summary>
/// One item of the calendar list at its place in the order: a single event (<paramref name="Occurrence"/> null), or
/// one occurrence of a series.
/// </summary>
internal sealed record CalendarItem(Cursor Position, Occurrence? Occurrence)
{
    public static CalendarItem Of(Guid seriesId, Occurrence o) => new(new Cursor(o.Schedule.SortAt, seriesId, o.Date), o);
}

/// <summary>
/// The calendar order of the events list: sort instant, then id, then (within one series) occurrence date. The id
/// compares as PostgreSQL compares a uuid (byte by byte, as <see cref="Guid.CompareTo(Guid)"/> does), so that
/// items read from SQL and items expanded here interleave without a seam.
/// </summary>
internal static class CalendarOrder
{
    public static int Compare(Cursor a, Cursor b)
    {
        var byInstant = a.SortAt.UtcTicks.CompareTo(b.SortAt.UtcTicks);
        if (byInstant != 0)
        {
            return byInstant;
        }

        var byId = a.Id.CompareTo(b.Id);
        return byId != 0 ? byId : (a.Occurrence ?? DateOnly.MinValue).CompareTo(b.Occurrence ?? DateOnly.MinValue);
    }

    public static readonly IComparer<Cursor> Comparer = Comparer<Cursor>.Create(Compare);
}

/// <summary>The calendar list's merge: <see cref="OrderedMerge"/> in <see cref="CalendarOrder"/>.</summary>
internal static class CalendarMerge
{
    public static MergeResult<CalendarItem, Cursor> Take(IEnumerable<MergeStream<CalendarItem, Cursor>> streams, Cursor? fence, ExpansionBudget budget, int take) =>
        OrderedMerge.Take(streams, i => i.Position, CalendarOrder.Comparer, fence, budget, take);
}
