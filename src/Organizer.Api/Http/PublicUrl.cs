namespace Organizer.Api.Http;

/// <summary>
/// The base URL links and feeds are published under: <c>Organizer:PublicBaseUrl</c> when set (behind a proxy),
/// otherwise the scheme and host of the request.
/// </summary>
public static class PublicUrl
{
    public static string BaseOf(HttpContext context)
    {
        var configured = context.RequestServices.GetRequiredService<IConfiguration>()["Organizer:PublicBaseUrl"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured.TrimEnd('/');
        }

        var request = context.Request;
        return $"{request.Scheme}://{request.Host}{request.PathBase}";
    }
}
