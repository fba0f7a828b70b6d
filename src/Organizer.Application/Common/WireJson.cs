using System.Text.Json;
using System.Text.Json.Serialization;

namespace Organizer.Application.Common;

/// <summary>
/// The API's JSON rules, in one place: the web layer binds bodies with them, and a merge patch is read back with
/// the same ones, so a patched body is held to exactly the rules of a posted one.
/// </summary>
public static class WireJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(KebabEnum.Policy, allowIntegerValues: false));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;

        // A misspelt field is an error to report, not a value to drop silently.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.MaxDepth = 32;
        return options;
    }
}
