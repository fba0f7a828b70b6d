using System.Text;
using FluentValidation;
using FluentValidation.Validators;
using ValidationException = Organizer.Application.Common.Exceptions.ValidationException;

namespace Organizer.Application.Common.Validation;

/// <summary>
/// Characters no output can carry: PostgreSQL refuses U+0000, XML (the Atom feed) refuses noncharacters and unpaired
/// surrogates, and normalisation (slugs) throws on them. Control characters break iCalendar lines and headers.
/// </summary>
public static class SafeText
{
    /// <summary>No control characters, no U+0000, no noncharacters, no unpaired surrogates.</summary>
    public static bool IsSingleLine(string? text) => IsSafe(text, multiline: false);

    /// <summary>As <see cref="IsSingleLine"/>, but newline, carriage return and tab are allowed.</summary>
    public static bool IsMultiline(string? text) => IsSafe(text, multiline: true);

    public static bool IsSafe(string? text, bool multiline)
    {
        if (text is null)
        {
            return true;
        }

        // Rune enumeration yields U+FFFD for an unpaired surrogate, so surrogates are checked on the UTF-16 units.
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]) || IsNoncharacter(char.ConvertToUtf32(c, text[i + 1])))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c) || IsNoncharacter(c) || (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>U+FDD0–U+FDEF, and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE … U+10FFFF).</summary>
    public static bool IsNoncharacter(int codePoint) => (codePoint is >= 0xFDD0 and <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;

    /// <summary>Single-line text: names, titles, labels, URLs, identifiers.</summary>
    public static IRuleBuilderOptions<T, string?> IsSafeText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.SetValidator(new SafeTextValidator<T>(multiline: false));

    /// <summary>Prose that may span lines: descriptions, statement texts, demands, reasons.</summary>
    public static IRuleBuilderOptions<T, string?> IsSafeMultilineText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.SetValidator(new SafeTextValidator<T>(multiline: true));

    private sealed class SafeTextValidator<T>(bool multiline) : PropertyValidator<T, string?>
    {
        public override string Name => "SafeTextValidator";

        public override bool IsValid(ValidationContext<T> context, string? value)
        {
            if (IsSafe(value, multiline))
            {
                return true;
            }

            context.MessageFormatter.AppendArgument("Field", ValidationException.FieldPath(context.PropertyPath));
            return false;
        }

        protected override string GetDefaultMessageTemplate(string errorCode) => multiline
            ? "'{Field}' must not contain control characters other than newline and tab, U+0000, Unicode noncharacters (such as U+FFFF) or unpaired surrogates."
            : "'{Field}' must not contain control characters, U+0000, Unicode noncharacters (such as U+FFFF) or unpaired surrogates.";
    }
}
