using System.Globalization;
using Organizer.Application.Common.Models;

namespace Organizer.Application.Timeline;

/// <summary>
/// Where a page of the timeline ended: the last action's instant, its <see cref="TimelineRow.Rank"/>, its
/// <c>Seq</c> (a resolution's ordinal within its assembly; 0 for other actions), its id, and for an occurrence of a
/// series (whose occurrences share the series' id) the date that names it. A single event sorts before an occurrence
/// with the same instant and id, which cannot happen: no event is both.
/// </summary>
public readonly record struct TimelineCursor(DateTimeOffset SortAt, int Rank, int Seq, Guid Id, DateOnly? Occurrence = null)
{
    private const string Prefix = "t2";

    // The occurrence is a fifth field only when there is one, so cursors issued before series existed still read.
    public string Encode() => Occurrence is { } occurrence
        ? CursorText.Encode(Prefix, CursorText.Instant(SortAt), CursorText.Number(Rank), CursorText.Number(Seq), Id.ToString("N"),
            occurrence.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
        : CursorText.Encode(Prefix, CursorText.Instant(SortAt), CursorText.Number(Rank), CursorText.Number(Seq), Id.ToString("N"));

    public static bool TryDecode(string? text, out TimelineCursor cursor)
    {
        cursor = default;
        if (!CursorText.TryDecode(text, Prefix, 5, out var f) && !CursorText.TryDecode(text, Prefix, 4, out f))
        {
            return false;
        }

        DateOnly? occurrence = null;
        if (f.Length == 5)
        {
            if (!DateOnly.TryParseExact(f[4], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return false;
            }

            occurrence = day;
        }

        if (CursorText.TryParseInstant(f[0], out var sortAt)
            && CursorText.TryParseNumber(f[1], out var rank) && rank is >= TimelineRow.ResolutionRank and <= TimelineRow.EventRank
            && CursorText.TryParseNumber(f[2], out var seq) && seq >= 0
            && Guid.TryParseExact(f[3], "N", out var id)
            && (occurrence is null || rank == TimelineRow.EventRank))
        {
            cursor = new TimelineCursor(sortAt, rank, seq, id, occurrence);
            return true;
        }

        return false;
    }

    /// <summary>The cursor just past <paramref name="row"/>.</summary>
    public static TimelineCursor After(TimelineRow row) => new(row.SortAt, row.Rank, row.Seq, row.Id, row.Occurrence);

    /// <summary>The timeline's order, ascending (<see cref="Compare"/>).</summary>
    public static readonly IComparer<TimelineCursor> Comparer = Comparer<TimelineCursor>.Create((a, b) => Compare(a, b));

    /// <summary>
    /// The timeline's order, ascending: instant, rank, seq, id (as PostgreSQL orders uuids, which is how
    /// <see cref="Guid.CompareTo(Guid)"/> orders them), then occurrence date (none first).
    /// </summary>
    public static int Compare(in TimelineCursor a, in TimelineCursor b)
    {
        var c = a.SortAt.UtcTicks.CompareTo(b.SortAt.UtcTicks);
        if (c == 0)
        {
            c = a.Rank.CompareTo(b.Rank);
        }

        if (c == 0)
        {
            c = a.Seq.CompareTo(b.Seq);
        }

        if (c == 0)
        {
            c = a.Id.CompareTo(b.Id);
        }

        if (c == 0)
        {
            c = Nullable.Compare(a.Occurrence, b.Occurrence);
        }

        return c;
    }
}
