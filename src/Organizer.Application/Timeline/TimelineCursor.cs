using Organizer.Application.Common.Models;

namespace Organizer.Application.Timeline;

/// <summary>
/// Where a page of the timeline ended: the last action's instant, its <see cref="TimelineRow.Rank"/>, its
/// <c>Seq</c> (a resolution's ordinal within its assembly; 0 for other actions) and its id.
/// </summary>
public readonly record struct TimelineCursor(DateTimeOffset SortAt, int Rank, int Seq, Guid Id)
{
    private const string Prefix = "t2";

    public string Encode() => CursorText.Encode(Prefix, CursorText.Instant(SortAt), CursorText.Number(Rank), CursorText.Number(Seq), Id.ToString("N"));

    public static bool TryDecode(string? text, out TimelineCursor cursor)
    {
        cursor = default;
        if (CursorText.TryDecode(text, Prefix, 4, out var f)
            && CursorText.TryParseInstant(f[0], out var sortAt)
            && CursorText.TryParseNumber(f[1], out var rank) && rank is >= TimelineRow.ResolutionRank and <= TimelineRow.EventRank
            && CursorText.TryParseNumber(f[2], out var seq) && seq >= 0
            && Guid.TryParseExact(f[3], "N", out var id))
        {
            cursor = new TimelineCursor(sortAt, rank, seq, id);
            return true;
        }

        return false;
    }
}
