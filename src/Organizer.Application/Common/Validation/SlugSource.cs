namespace Organizer.Application.Common.Validation;

public static class SlugSource
{
    /// <summary>
    /// Whether text a slug is made from (an organization's name, a place's name and city) gives a usable one: some
    /// letter or digit, and no longer than a slug may be. Otherwise the record is saved under a slug no URL can
    /// name ('' or 300 characters) and answers 404 from then on. Null or unsafe text is left to its own rules.
    /// </summary>
    public static bool MakesASlug(string? text) =>
        string.IsNullOrWhiteSpace(text) || !SafeText.IsSingleLine(text) || Slugs.From(text) is { Length: > 0 and <= Slugs.MaxLength };
}
