using System.Collections.Frozen;
using System.Text.Json;

namespace Organizer.Application.Common;

/// <summary>
/// The one spelling of enum values the API speaks (lower-case kebab: co-organizer, teach-in), shared by
/// query-string parsing and the JSON converter so that the two can never disagree.
/// </summary>
public static class KebabEnum
{
    public static readonly JsonNamingPolicy Policy = JsonNamingPolicy.KebabCaseLower;

    public static string ToKebab<T>(this T value) where T : struct, Enum => Names<T>.ByValue[value];

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum =>
        Names<T>.ByName.TryGetValue(text?.Trim() ?? "", out value);

    public static string Allowed<T>() where T : struct, Enum => string.Join(", ", Names<T>.ByValue.Values.Order());

    private static class Names<T> where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> ByValue =
            Enum.GetValues<T>().ToFrozenDictionary(v => v, v => Policy.ConvertName(v.ToString()));

        public static readonly FrozenDictionary<string, T> ByName =
            ByValue.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.OrdinalIgnoreCase);
    }
}
