using Organizer.Api.Endpoints;
using Organizer.Api.Http;
using Organizer.Application.Common.Links;

namespace Organizer.Api.Http;

/// <summary>Links built from the mapped endpoints' names, under the public base URL of the request being answered.</summary>
public sealed class RouteLinks(LinkGenerator links, IHttpContextAccessor accessor) : ILinks
{
    public string Event(string eventSlug) => Url(nameof(EventsEndpoints.GetEvent), new { slug = eventSlug });

    public string Occurrence(string eventSlug, string date) => Url(nameof(EventsEndpoints.GetOccurrence), new { slug = eventSlug, occurrence = date });

    public string Organization(string organizationSlug) => Url(nameof(OrganizationsEndpoints.GetOrganization), new { slug = organizationSlug });

    public string OrganizationActions(string organizationSlug) => Url(nameof(OrganizationsEndpoints.GetActions), new { slug = organizationSlug });

    public string Statement(string statementSlug) => Url(nameof(StatementsEndpoints.GetStatement), new { slug = statementSlug });

    public FeedLinksDto AllEvents() => FeedLinksDto.Of(Url(nameof(FeedsEndpoints.AllFeed), new { }));

    public FeedLinksDto EventCalendar(string eventSlug) =>
        FeedLinksDto.Of(Url(nameof(FeedsEndpoints.EventCalendar), new { slug = eventSlug }));

    public OrganizationFeedLinksDto OrganizationFeeds(string organizationSlug)
    {
        var calendar = FeedLinksDto.Of(Url(nameof(FeedsEndpoints.OrganizationFeed), new { slug = organizationSlug }));
        return new OrganizationFeedLinksDto(calendar.Https, calendar.Webcal, Url(nameof(FeedsEndpoints.OrganizationAtomFeed), new { slug = organizationSlug }));
    }

    public FeedLinksDto PrivateCalendar(string secret) =>
        FeedLinksDto.Of(Url(nameof(FeedsEndpoints.PrivateFeed), new { secret }));

    public FeedLinksDto CityCalendar(string citySlug) =>
        FeedLinksDto.Of(Url(nameof(FeedsEndpoints.CityFeed), new { city = citySlug }));

    // One request's base, looked up once: a feed asks for a link per event, and the base reads configuration.
    private string? baseUrl;

    private string Url(string endpointName, object values)
    {
        baseUrl ??= PublicUrl.BaseOf(accessor.HttpContext ?? throw new InvalidOperationException("Links are built while answering a request."));

        // The path without PathBase: the base URL already carries it (or the configured public URL replaces it).
        var path = links.GetPathByName(endpointName, values)
            ?? throw new InvalidOperationException($"No endpoint named '{endpointName}' takes {values}.");
        return baseUrl + path;
    }
}
