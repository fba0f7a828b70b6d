using System.Globalization;
using System.Text;

namespace Organizer.Application.Common;

public static class Slugs
{
    public const int MaxLength = 200;

    /// <summary>
    /// Whether text could be a slug at all (lower-case ASCII letters, digits and dashes). Anything else cannot name
    /// a record, and some of it (a NUL) PostgreSQL would refuse outright, so it never reaches a query.
    /// </summary>
    public static bool IsWellFormed(string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= MaxLength && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>"Montréal" → "montreal", "Saint-Jean sur Richelieu" → "saint-jean-sur-richelieu".</summary>
    public static string From(string text)
    {
        var builder = new StringBuilder(text.Length);
        var dash = false;
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
                dash = false;
            }
            else if (!dash && builder.Length > 0)
            {
                builder.Append('-');
                dash = true;
            }
        }

        return builder.ToString().TrimEnd('-');
    }
}
