using System.Globalization;

namespace Organizer.Application.Common.Validation;

/// <summary>
/// The <c>limit</c> of a paged query string, parsed the one way every list parses it: absent means
/// <paramref name="Default"/>; otherwise ASCII digits only (no sign, spaces or separators) for a number from 1 to
/// <paramref name="Max"/>.
/// </summary>
public sealed record PageLimit(int Default, int Max)
{
    public string Message => $"'limit' must be a whole number from 1 to {Max}.";

    public bool IsValid(string? text) => TryParse(text, out _);

    /// <summary>The limit of text the validator has passed.</summary>
    public int Parse(string? text) => TryParse(text, out var limit) ? limit : throw new ArgumentException(Message, nameof(text));

    private bool TryParse(string? text, out int limit)
    {
        limit = Default;
        return text is null || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit >= 1 && limit <= Max);
    }
}
