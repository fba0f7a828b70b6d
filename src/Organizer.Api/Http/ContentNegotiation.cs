using Microsoft.Net.Http.Headers;

namespace Organizer.Api.Http;

/// <summary>Choosing between JSON and another representation of the same resource from the Accept header.</summary>
public static class ContentNegotiation
{
    /// <summary>
    /// True when the client prefers <paramref name="mediaType"/> to application/json: a higher quality, or the same
    /// quality through a more specific range. A plain <c>*/*</c> or no Accept at all keeps JSON, as before.
    /// </summary>
    public static bool Prefers(HttpRequest request, string mediaType)
    {
        var accept = request.GetTypedHeaders().Accept;
        var wanted = Match(accept, mediaType);
        var json = Match(accept, "application/json");
        return wanted.Quality > 0 && (wanted.Quality > json.Quality || (wanted.Quality == json.Quality && wanted.Specificity > json.Specificity));
    }

    /// <summary>The quality the most specific matching range gives a media type (RFC 9110, section 12.5.1).</summary>
    private static (double Quality, int Specificity) Match(IList<MediaTypeHeaderValue> accept, string mediaType)
    {
        var slash = mediaType.IndexOf('/', StringComparison.Ordinal);
        var type = mediaType[..slash];
        var best = (Quality: 0.0, Specificity: -1);
        foreach (var range in accept)
        {
            var specificity =
                range.MatchesAllTypes ? 0
                : !range.Type.Equals(type, StringComparison.OrdinalIgnoreCase) ? -1
                : range.MatchesAllSubTypes ? 1
                : range.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase) ? 2
                : -1;
            if (specificity > best.Specificity)
            {
                best = (range.Quality ?? 1.0, specificity);
            }
        }

        return best;
    }
}
