using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Organizer.Application.Common.Models;

/// <summary>
/// An opaque keyset position: the sort instant and id of the last item of a page.
/// Keyset (not offset) paging is what keeps pages from skipping or repeating items when events are added meanwhile.
/// </summary>
public readonly record struct Cursor(DateTimeOffset SortAt, Guid Id)
{
    private const string Prefix = "v1";

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Prefix}|{SortAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{Id:N}"));

    public static bool TryDecode(string? text, out Cursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 200)
        {
            return false;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('|');
            if (parts.Length == 3 && parts[0] == Prefix
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
                && Guid.TryParseExact(parts[2], "N", out var id))
            {
                cursor = new Cursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
                return true;
            }
        }
        catch (FormatException)
        {
            // Not base64url: the caller reports a bad cursor.
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

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
        $"{Prefix}|{BitConverter.SingleToInt32Bits(Rank).ToString(CultureInfo.InvariantCulture)}|{Id:N}"));

    public static bool TryDecode(string? text, out RelevanceCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 200)
        {
            return false;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('|');
            if (parts.Length == 3 && parts[0] == Prefix
                && int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bits)
                && float.IsFinite(BitConverter.Int32BitsToSingle(bits))
                && Guid.TryParseExact(parts[2], "N", out var id))
            {
                cursor = new RelevanceCursor(BitConverter.Int32BitsToSingle(bits), id);
                return true;
            }
        }
        catch (FormatException)
        {
            // Not base64url: the caller reports a bad cursor.
        }

        return false;
    }
}

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
