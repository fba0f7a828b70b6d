namespace Organizer.Application.Common.Models;

/// <summary>
/// An opaque keyset position: the sort instant and id of the last item of a page, and when that item is an occurrence
/// of a series, its date (occurrences of one series share its id, and two may start at the same instant).
/// Keyset (not offset) paging is what keeps pages from skipping or repeating items when events are added meanwhile.
/// </summary>
/// <remarks>
/// A position at an event is written as before ("v1"), so cursors issued before series existed still decode; one at
/// an occurrence adds its date ("v2").
/// </remarks>
public readonly record struct Cursor(DateTimeOffset SortAt, Guid Id, DateOnly? Occurrence = null)
{
    private const string Prefix = "v1";
    private const string OccurrencePrefix = "v2";

    public string Encode() => Occurrence is { } date
        ? CursorText.Encode(OccurrencePrefix, CursorText.Instant(SortAt), Id.ToString("N"), CursorText.Date(date))
        : CursorText.Encode(Prefix, CursorText.Instant(SortAt), Id.ToString("N"));

    public static bool TryDecode(string? text, out Cursor cursor)
    {
        cursor = default;
        if (CursorText.TryDecode(text, Prefix, 2, out var f)
            && CursorText.TryParseInstant(f[0], out var sortAt)
            && Guid.TryParseExact(f[1], "N", out var id))
        {
            cursor = new Cursor(sortAt, id);
            return true;
        }

        if (CursorText.TryDecode(text, OccurrencePrefix, 3, out f)
            && CursorText.TryParseInstant(f[0], out sortAt)
            && Guid.TryParseExact(f[1], "N", out id)
            && CursorText.TryParseDate(f[2], out var occurrence))
        {
            cursor = new Cursor(sortAt, id, occurrence);
            return true;
        }

        return false;
    }
}

/// <summary>
/// A keyset position in a list ordered by search relevance: the rank of the last item (as its exact bits, so that the
/// next page compares equal ranks as equal) and its id.
/// </summary>
public readonly record struct RelevanceCursor(float Rank, Guid Id)
{
    private const string Prefix = "r1";

    public string Encode() => CursorText.Encode(Prefix, CursorText.Number(BitConverter.SingleToInt32Bits(Rank)), Id.ToString("N"));

    public static bool TryDecode(string? text, out RelevanceCursor cursor)
    {
        cursor = default;
        if (CursorText.TryDecode(text, Prefix, 2, out var f)
            && CursorText.TryParseNumber(f[0], out var bits)
            && float.IsFinite(BitConverter.Int32BitsToSingle(bits))
            && Guid.TryParseExact(f[1], "N", out var id))
        {
            cursor = new RelevanceCursor(BitConverter.Int32BitsToSingle(bits), id);
            return true;
        }

        return false;
    }
}

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
