namespace Organizer.Application.Events.Series;

/// <summary>One sorted stream to merge; one given a <paramref name="NotBefore"/> is read only once the merge reaches that position.</summary>
/// <param name="NotBefore">No item of the stream comes before it (a series' first occurrence): left unexpanded until needed.</param>
internal sealed record MergeStream<T, TKey>(IEnumerable<T> Items, TKey? NotBefore = null)
    where TKey : struct;

/// <param name="Items">The first items in order, at most as many as asked.</param>
/// <param name="CutShort">
/// The merge ended before it was full: the budget ran out (some series' next occurrence is unknown) or the fence was
/// reached (the streams beyond it were not read). Either way, what comes next is read by another request.
/// </param>
/// <param name="Resume">Where to continue when the fence was reached: the fence itself.</param>
internal sealed record MergeResult<T, TKey>(List<T> Items, bool CutShort, TKey? Resume)
    where TKey : struct;

/// <summary>
/// Merges sorted streams (a page read from SQL, each series' occurrences) into their first items in one order: the
/// events list and an organization's record both read series this way. The series are expanded lazily, one item ahead
/// of the merge, on one <see cref="ExpansionBudget"/>. When the budget runs out the merge stops before the item that
/// would have needed it, so everything returned is exactly the start of the merged order.
/// </summary>
internal static class OrderedMerge
{
    /// <param name="fence">No item at or after it is known: streams beyond it were left unread.</param>
    public static MergeResult<T, TKey> Take<T, TKey>(
        IEnumerable<MergeStream<T, TKey>> streams, Func<T, TKey> key, IComparer<TKey> order, TKey? fence, ExpansionBudget budget, int take)
        where TKey : struct
    {
        var queue = new PriorityQueue<Entry<T>, TKey>(order);
        var items = new List<T>(Math.Min(take, 256));
        var open = new List<IEnumerator<T>>();
        if (fence is { } end)
        {
            queue.Enqueue(new Entry<T>(null), end);
        }

        bool Advance(Entry<T> entry)
        {
            if (entry.Reader is null)
            {
                entry.Reader = entry.Source!.GetEnumerator();
                open.Add(entry.Reader);
            }

            // False when the budget ran out on the way: what the stream gave then (a series' changed occurrences,
            // placed after the last one it could expand) may not be the next.
            var more = entry.Reader.MoveNext();
            if (budget.Exhausted)
            {
                return false;
            }

            if (more)
            {
                queue.Enqueue(entry, key(entry.Reader.Current));
            }

            return true;
        }

        try
        {
            foreach (var stream in streams)
            {
                var entry = new Entry<T>(stream.Items);
                if (stream.NotBefore is { } notBefore)
                {
                    queue.Enqueue(entry, notBefore);
                }
                else if (!Advance(entry))
                {
                    return new(items, CutShort: true, null);
                }
            }

            while (items.Count < take && queue.TryDequeue(out var entry, out var at))
            {
                if (entry.Source is null)
                {
                    return new(items, CutShort: true, at);
                }

                if (entry.Reader is { } reader)
                {
                    items.Add(reader.Current);
                }

                if (!Advance(entry))
                {
                    return new(items, CutShort: true, null);
                }
            }

            return new(items, CutShort: false, null);
        }
        finally
        {
            foreach (var reader in open)
            {
                reader.Dispose();
            }
        }
    }

    /// <summary>A stream in the queue, or (without a source) the fence.</summary>
    private sealed class Entry<T>(IEnumerable<T>? source)
    {
        public IEnumerable<T>? Source { get; } = source;
        public IEnumerator<T>? Reader { get; set; }
    }
}
