using Organizer.Application.Common.Validation;

namespace Organizer.Application.Common;

/// <summary>Checks on free text from clients; the characters text may hold are <see cref="SafeText"/>'s.</summary>
public static class Text
{
    public static bool IsHttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && text!.Length <= 2000;

    /// <summary>A filter's words: the same characters a write body may hold (<see cref="SafeText"/>), on one short line.</summary>
    public static bool IsPlainText(string? text) =>
        !string.IsNullOrWhiteSpace(text) && text.Length <= 200 && SafeText.IsSingleLine(text);
}
