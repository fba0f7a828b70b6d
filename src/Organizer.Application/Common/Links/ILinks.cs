namespace Organizer.Application.Common.Links;

/// <summary>
/// Absolute links to the API's own resources. Routes belong to the web layer, so Application asks for a link by what
/// it points at instead of re-typing a route template that could drift from the one actually mapped.
/// </summary>
public interface ILinks
{
    /// <summary>An event's JSON address.</summary>
    string Event(string eventSlug);

    /// <summary>One occurrence of a series, by the date its rule gives it (YYYY-MM-DD).</summary>
    string Occurrence(string eventSlug, string date);

    /// <summary>An organization's JSON address.</summary>
    string Organization(string organizationSlug);

    /// <summary>An organization's timeline of actions (JSON).</summary>
    string OrganizationActions(string organizationSlug);

    /// <summary>A statement's JSON address.</summary>
    string Statement(string statementSlug);

    /// <summary>The calendar feed of every public event.</summary>
    FeedLinksDto AllEvents();

    /// <summary>One event's calendar (.ics).</summary>
    FeedLinksDto EventCalendar(string eventSlug);

    /// <summary>An organization's calendar feed and its Atom feed of actions.</summary>
    OrganizationFeedLinksDto OrganizationFeeds(string organizationSlug);

    /// <summary>An organization's private calendar feed, addressed by its secret.</summary>
    FeedLinksDto PrivateCalendar(string secret);

    /// <summary>The calendar feed of the public events in a city.</summary>
    FeedLinksDto CityCalendar(string citySlug);
}
