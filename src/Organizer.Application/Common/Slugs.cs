using System.Globalization;
using System.Text;
using AnyAscii;

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

    /// <summary>
    /// "Montréal" → "montreal", "Saint-Jean sur Richelieu" → "saint-jean-sur-richelieu", "Москва" → "moskva",
    /// "日本語" → "ribenyu". Empty when the text has no letter or digit in any script ("!!!", "✊🏽"); callers that
    /// need a slug then fall back to <see cref="FromId"/>. Never throws, whatever the string.
    /// </summary>
    public static string From(string text)
    {
        var slug = new StringBuilder(text.Length);

        // Runes, not chars, and no string.Normalize (which throws on U+FFFE and on lone surrogates): enumeration turns
        // a lone surrogate into U+FFFD, a symbol, and everything below is a table lookup.
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsAscii)
            {
                Add(slug, (char)rune.Value);
            }
            else if (IsPartOfAWord(rune))
            {
                // AnyAscii strips accents to exactly the letters that decomposing and dropping the marks gave before
                // (checked for every code point whose decomposition holds a Latin letter), so the slugs of existing
                // records and city comparisons ("Montréal" is "Montreal") keep their values. Other scripts get its
                // romanization instead of vanishing. Its apostrophes (a soft sign: "Тверь" → "Tver'") are not word
                // breaks.
                foreach (var b in Transliteration.Transliterate(rune))
                {
                    if (char.IsAsciiLetterOrDigit((char)b) || b == ' ')
                    {
                        Add(slug, (char)b);
                    }
                }
            }
            else
            {
                Add(slug, ' ');
            }
        }

        return slug.ToString().TrimEnd('-');
    }

    /// <summary>
    /// A slug for a record whose name gives none: eight hex digits from the end of its id. Version 7 ids begin with
    /// their creation time, so records made together share the first digits; the last ones are random.
    /// </summary>
    public static string FromId(Guid id) => id.ToString("N")[^8..];

    /// <summary>At most <paramref name="limit"/> characters, cut so as not to end on a dash.</summary>
    public static string Truncate(string slug, int limit) => slug.Length > limit ? slug[..limit].TrimEnd('-') : slug;

    private static void Add(StringBuilder slug, char c)
    {
        if (char.IsAsciiLetterOrDigit(c))
        {
            slug.Append(char.ToLowerInvariant(c));
        }
        else if (slug.Length > 0 && slug[^1] != '-')
        {
            slug.Append('-');
        }
    }

    /// <summary>Letters, digits and the marks that belong to them (accents, vowel signs); not symbols, emoji or punctuation.</summary>
    private static bool IsPartOfAWord(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
        or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
        or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
}
