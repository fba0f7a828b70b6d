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

/// <summary>One sorted stream of calendar items; one given a <paramref name="NotBefore"/> is read only once the page reaches that position.</summary>
/// <param name="NotBefore">No item of the stream comes before it (a series' first occurrence): left unexpanded until needed.</param>
internal sealed record CalendarStream(IEnumerable<CalendarItem> Items, Cursor? NotBefore = null);

/// <summary>
/// Merges sorted streams of calendar items (the SQL page of single events, each series' occurrences) into one page.
/// The series are expanded lazily, one occurrence ahead of the page, on one <see cref="ExpansionBudget"/>; a series
/// that has not begun by the page's last item is not expanded at all.
/// </summary>
internal static class CalendarMerge
{
    /// <param name="Items">The first items in calendar order, at most as many as asked.</param>
    /// <param name="CutShort">
    /// The page ended before it was full: the budget ran out (some series' next occurrence is unknown) or the fence
    /// was reached (the series beyond it were not read). Either way, what comes next is read by another request.
    /// </param>
    /// <param name="Resume">Where to continue when the fence was reached before any item: the fence itself.</param>
    public sealed record Result(List<CalendarItem> Items, bool CutShort, Cursor? Resume);

    /// <param name="fence">No item at or after it is known: series beyond it were left unread.</param>
    public static Result Take(IEnumerable<CalendarStream> streams, Cursor? fence, ExpansionBudget budget, int take)
    {
        var queue = new PriorityQueue<Entry, Cursor>(CalendarOrder.Comparer);
        var items = new List<CalendarItem>(take);
        var open = new List<IEnumerator<CalendarItem>>();
        if (fence is { } end)
        {
            queue.Enqueue(new Entry(null), end);
        }

        try
        {
            foreach (var stream in streams)
            {
                var entry = new Entry(stream.Items);
                if (stream.NotBefore is { } notBefore)
                {
                    queue.Enqueue(entry, notBefore);
                }
                else if (!Advance(entry, open, queue, budget))
                {
                    return new Result(items, CutShort: true, null);
                }
            }

            while (items.Count < take && queue.TryDequeue(out var entry, out var at))
            {
                if (entry.Source is null)
                {
                    return new Result(items, CutShort: true, at);
                }

                if (entry.Reader is { } reader)
                {
                    items.Add(reader.Current);
                }

                if (!Advance(entry, open, queue, budget))
                {
                    return new Result(items, CutShort: true, null);
                }
            }

            return new Result(items, CutShort: false, null);
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
    /// Reads a stream's next item (its first, for one not yet begun) into the queue. False when the budget ran out on
    /// the way: what the stream gave then (a series' changed occurrences, placed after the last one it could expand)
    /// may not be the next.
    /// </summary>
    private static bool Advance(Entry entry, List<IEnumerator<CalendarItem>> open, PriorityQueue<Entry, Cursor> queue, ExpansionBudget budget)
    {
        if (entry.Reader is null)
        {
            entry.Reader = entry.Source!.GetEnumerator();
            open.Add(entry.Reader);
        }

        var more = entry.Reader.MoveNext();
        if (budget.Exhausted)
        {
            return false;
        }

        if (more)
        {
            queue.Enqueue(entry, entry.Reader.Current.Position);
        }

        return true;
    }

    /// <summary>A stream in the queue, or (without a source) the fence.</summary>
    private sealed class Entry(IEnumerable<CalendarItem>? source)
    {
        public IEnumerable<CalendarItem>? Source { get; } = source;
        public IEnumerator<CalendarItem>? Reader { get; set; }
    }
}
