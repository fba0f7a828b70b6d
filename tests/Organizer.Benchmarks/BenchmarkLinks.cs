using Organizer.Application.Common.Links;

namespace Organizer.Benchmarks;

/// <summary>
/// Links for handlers run without the web layer (whose RouteLinks needs a request): the benchmark measures queries,
/// and what the links say does not matter to it, only that building them costs what it costs in the app.
/// </summary>
internal sealed class BenchmarkLinks : ILinks
{
    private const string Base = "https://organizer.example";

    public string Event(string eventSlug) => $"{Base}/api/events/{eventSlug}";

    public string Occurrence(string eventSlug, string date) => $"{Base}/api/events/{eventSlug}/occurrences/{date}";

    public string Organization(string organizationSlug) => $"{Base}/api/organizations/{organizationSlug}";

    public string OrganizationActions(string organizationSlug) => $"{Base}/api/organizations/{organizationSlug}/actions";

    public string Statement(string statementSlug) => $"{Base}/api/statements/{statementSlug}";

    public FeedLinksDto AllEvents() => FeedLinksDto.Of($"{Base}/feeds/all.ics");

    public FeedLinksDto EventCalendar(string eventSlug) => FeedLinksDto.Of($"{Base}/api/events/{eventSlug}.ics");

    public OrganizationFeedLinksDto OrganizationFeeds(string organizationSlug)
    {
        var calendar = FeedLinksDto.Of($"{Base}/feeds/organizations/{organizationSlug}.ics");
        return new OrganizationFeedLinksDto(calendar.Https, calendar.Webcal, $"{Base}/feeds/organizations/{organizationSlug}.atom");
    }

    public FeedLinksDto PrivateCalendar(string secret) => FeedLinksDto.Of($"{Base}/feeds/private/{secret}.ics");

    public FeedLinksDto CityCalendar(string citySlug) => FeedLinksDto.Of($"{Base}/feeds/cities/{citySlug}.ics");
}
