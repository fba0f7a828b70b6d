namespace Organizer.Application.Common.Links;

/// <summary>A feed's address twice: https for programs and copy-paste, webcal:// for one-click subscription.</summary>
public sealed record FeedLinksDto(string Https, string Webcal)
{
    /// <param name="baseUrl">The server's public base URL, e.g. https://organizer.example.</param>
    /// <param name="path">The feed's path, e.g. /feeds/all.ics.</param>
    public static FeedLinksDto For(string baseUrl, string path) => Of(baseUrl.TrimEnd('/') + path);

    /// <summary>The webcal:// twin of an absolute http(s) feed URL.</summary>
    public static FeedLinksDto Of(string https) => new(https, "webcal://" + https[(https.IndexOf("://", StringComparison.Ordinal) + 3)..]);

    public static FeedLinksDto ForOrganization(string baseUrl, string slug) => For(baseUrl, $"/feeds/organizations/{slug}.ics");

    public static FeedLinksDto ForCity(string baseUrl, string citySlug) => For(baseUrl, $"/feeds/cities/{citySlug}.ics");

    public static FeedLinksDto ForEvent(string baseUrl, string slug) => For(baseUrl, $"/api/events/{slug}.ics");
}

/// <summary>An organization's calendar feed (https and webcal://) and its Atom feed of actions, for feed readers.</summary>
public sealed record OrganizationFeedLinksDto(string Https, string Webcal, string Atom)
{
    public static OrganizationFeedLinksDto For(string baseUrl, string slug)
    {
        var calendar = FeedLinksDto.ForOrganization(baseUrl, slug);
        return new OrganizationFeedLinksDto(calendar.Https, calendar.Webcal, $"{baseUrl.TrimEnd('/')}/feeds/organizations/{slug}.atom");
    }
}
