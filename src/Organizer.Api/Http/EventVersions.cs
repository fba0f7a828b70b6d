using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Organizer.Api.Http;

/// <summary>Event versions on the wire: the ETag of a written event, and the If-Match a client sends back.</summary>
public static class EventVersions
{
    public static string ETag(uint version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>The version required by If-Match; null when none (or "*") was sent. A malformed one can never match.</summary>
    public static uint? Expected(HttpRequest request)
    {
        var ifMatch = request.GetTypedHeaders().IfMatch;
        if (ifMatch.Count == 0 || ifMatch.Any(t => t.Equals(EntityTagHeaderValue.Any)))
        {
            return null;
        }

        var tag = ifMatch[0].Tag.ToString().Trim('"');
        return uint.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : uint.MaxValue;
    }
}
