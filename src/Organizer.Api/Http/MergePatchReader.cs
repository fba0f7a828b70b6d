using System.Text.Json;
using System.Text.Json.Nodes;
using Organizer.Application.Common;

namespace Organizer.Api.Http;

/// <summary>
/// Reads a JSON Merge Patch (RFC 7386) document off the wire. Applying it to the stored resource is the command's
/// work (<see cref="Application.Common.MergePatch"/>); what is HTTP's (content type, malformed JSON) is answered here.
/// </summary>
public static class MergePatchReader
{
    public static async Task<JsonObject> ReadAsync(HttpRequest request)
    {
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), MergePatch.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            throw new BadHttpRequestException($"PATCH takes '{MergePatch.ContentType}' (JSON Merge Patch, RFC 7386).", StatusCodes.Status415UnsupportedMediaType);
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

        if (patch is not JsonObject patchObject)
        {
            throw new BadHttpRequestException("A merge patch must be a JSON object.", StatusCodes.Status400BadRequest);
        }

        try
        {
            // Walking the patch is what finds a property given twice or a string that is not text.
            RefuseUnpairedSurrogates(patch);
            return patchObject;
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
