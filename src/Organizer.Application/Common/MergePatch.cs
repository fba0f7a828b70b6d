using System.Text.Json;
using System.Text.Json.Nodes;

namespace Organizer.Application.Common;

/// <summary>
/// JSON Merge Patch (RFC 7386): objects merge member by member, null removes, anything else replaces.
/// No maintained package for it restores here (JSON Patch, RFC 6902, is a different format), and the algorithm is
/// the RFC's own ten lines.
/// </summary>
public static class MergePatch
{
    public const string ContentType = "application/merge-patch+json";

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject is { } targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Apply(result[name], value);
            }
        }

        return result;
    }

    /// <summary>
    /// Applies a patch to the current write body and reads the result back with the API's own JSON rules
    /// (<see cref="WireJson"/>), so a patched field is held to exactly what a posted one would be. A value of the
    /// wrong type surfaces as the same <see cref="JsonException"/> a posted body gives.
    /// </summary>
    public static T ApplyTo<T>(T current, JsonObject patch) where T : class =>
        Apply(JsonSerializer.SerializeToNode(current, WireJson.Options), patch).Deserialize<T>(WireJson.Options)
            ?? throw new JsonException("The patched body is empty.");
}
