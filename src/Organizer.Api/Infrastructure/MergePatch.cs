using System.Text.Json;
using System.Text.Json.Nodes;

namespace Organizer.Api.Infrastructure;

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

    /// <summary>Applies a patch to the current representation and reads the result back with the API's strict rules.</summary>
    public static async Task<T> ApplyAsync<T>(HttpRequest request, T current, JsonSerializerOptions options)
    {
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), ContentType, StringComparison.OrdinalIgnoreCase))
        {
            throw new BadHttpRequestException($"PATCH takes '{ContentType}' (JSON Merge Patch, RFC 7386).", StatusCodes.Status415UnsupportedMediaType);
        }

        JsonNode? patch;
        try
        {
            patch = await JsonNode.ParseAsync(request.Body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 }, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException("The merge patch is not valid JSON.", StatusCodes.Status400BadRequest, e);
        }

        if (patch is not JsonObject)
        {
            throw new BadHttpRequestException("A merge patch must be a JSON object.", StatusCodes.Status400BadRequest);
        }

        try
        {
            RefuseUnpairedSurrogates(patch);
            var merged = Apply(JsonSerializer.SerializeToNode(current, options), patch);
            return merged.Deserialize<T>(options) ?? throw new BadHttpRequestException("The patched body is empty.", StatusCodes.Status400BadRequest);
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException("The patched body is not valid.", StatusCodes.Status400BadRequest, e);
        }
        catch (ArgumentException e)
        {
            // JsonObject refuses a property given twice only when the patch is walked.
            throw new BadHttpRequestException("The merge patch names a property more than once.", StatusCodes.Status400BadRequest, e);
        }
        catch (InvalidOperationException e)
        {
            // The parser lets "\ud800" through; reading it as a string is where it fails (a property name, say).
            throw new BadHttpRequestException("The merge patch holds an unpaired surrogate, which is not text.", StatusCodes.Status400BadRequest, e);
        }
    }

    /// <summary>
    /// A body bound directly fails on an unpaired surrogate with the JSON path; a patch is parsed loosely, so its
    /// strings are read here to fail the same way, naming the field, instead of deep inside deserialization.
    /// </summary>
    private static void RefuseUnpairedSurrogates(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, value) in o)
                {
                    RefuseUnpairedSurrogates(value);
                }

                break;
            case JsonArray a:
                foreach (var value in a)
                {
                    RefuseUnpairedSurrogates(value);
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                try
                {
                    v.GetValue<string>();
                }
                catch (InvalidOperationException e)
                {
                    throw new BadHttpRequestException("The merge patch is not valid.", StatusCodes.Status400BadRequest,
                        new JsonException("The string holds an unpaired surrogate, which is not text.", v.GetPath(), null, null, e));
                }

                break;
        }
    }
}
