using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Organizer.Application.Common.Models;

/// <summary>
/// The text form every keyset cursor shares: base64url of "prefix|field|…". Opaque on purpose, so that clients pass
/// it back rather than build one; the prefix versions the layout.
/// </summary>
internal static class CursorText
{
    private const int MaxLength = 200;

    public static string Encode(string prefix, params string[] fields) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('|', [prefix, .. fields])));

    public static bool TryDecode(string? text, string prefix, int fieldCount, out string[] fields)
    {
        fields = [];
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('|');
            if (parts.Length != fieldCount + 1 || parts[0] != prefix)
            {
                return false;
            }

            fields = parts[1..];
            return true;
        }
        catch (FormatException)
        {
            // Not base64url: the caller reports a bad cursor.
            return false;
        }
    }

    public static string Instant(DateTimeOffset instant) => instant.UtcTicks.ToString(CultureInfo.InvariantCulture);

    public static bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        var ok = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks;
        instant = ok ? new DateTimeOffset(ticks, TimeSpan.Zero) : default;
        return ok;
    }

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static bool TryParseNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
