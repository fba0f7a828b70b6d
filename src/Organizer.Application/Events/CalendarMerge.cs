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

/// <summary>
/// Merges sorted streams of calendar items (the SQL page of single events, each series' occurrences) into one page.
/// The series are expanded lazily, one occurrence ahead of the page, on one <see cref="ExpansionBudget"/>.
/// </summary>
internal static class CalendarMerge
{
    /// <param name="Items">The first items in calendar order, at most as many as asked.</param>
    /// <param name="CutShort">
    /// The budget ran out before the page was full: some series' next occurrence is unknown, so the page ends at the
    /// last item known to come before it, and the client continues from there.
    /// </param>
    public sealed record Result(List<CalendarItem> Items, bool CutShort);

    /// <param name="streams">Each already in calendar order.</param>
    public static Result Take(IEnumerable<IEnumerable<CalendarItem>> streams, ExpansionBudget budget, int take)
    {
        var heads = new PriorityQueue<IEnumerator<CalendarItem>, Cursor>(CalendarOrder.Comparer);
        var items = new List<CalendarItem>(take);
        var open = new List<IEnumerator<CalendarItem>>();
        try
        {
            foreach (var stream in streams)
            {
                var reader = stream.GetEnumerator();
                open.Add(reader);
                if (!Advance(reader, heads, budget))
                {
                    return new Result(items, CutShort: true);
                }
            }

            while (items.Count < take && heads.TryDequeue(out var reader, out _))
            {
                items.Add(reader.Current);
                if (!Advance(reader, heads, budget))
                {
                    return new Result(items, CutShort: true);
                }
            }

            return new Result(items, CutShort: false);
        }
        finally
        {
            foreach (var reader in open)
            {
                reader.Dispose();
            }
        }
    }

    /// <summary>
    /// Reads a stream's next item into the queue. False when the budget ran out on the way: what the stream gave
    /// then (a series' changed occurrences, placed after the last one it could expand) may not be the next.
    /// </summary>
    private static bool Advance(IEnumerator<CalendarItem> reader, PriorityQueue<IEnumerator<CalendarItem>, Cursor> heads, ExpansionBudget budget)
    {
        var more = reader.MoveNext();
        if (budget.Exhausted)
        {
            return false;
        }

        if (more)
        {
            heads.Enqueue(reader, reader.Current.Position);
        }

        return true;
    }
}
