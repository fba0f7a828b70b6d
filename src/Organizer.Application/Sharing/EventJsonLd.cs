using System.Text.Json;
using System.Text.Json.Serialization;
using Organizer.Application.Events;
using Organizer.Domain.Events;
using Organizer.Application.Places;
using Organizer.Application.Common.Links;

namespace Organizer.Application.Sharing;

/// <summary>
/// An event as a schema.org <c>Event</c> in JSON-LD, for search engines, link previews and other calendars.
/// Mapped from the event the JSON API serves, so both always show the same visibility and the same dates.
/// <c>location</c> is a <see cref="PlaceLd"/>, a <see cref="VirtualLocationLd"/>, or both in an array for a mixed event.
/// </summary>
public sealed record EventJsonLd(
    [property: JsonPropertyName("@context")] string Context,
    [property: JsonPropertyName("@type")] string Type,
    [property: JsonPropertyName("@id")] string Id,
    string Url,
    string Name,
    string? Description,
    string StartDate,
    string? EndDate,
    string EventStatus,
    string EventAttendanceMode,
    object? Location,
    IReadOnlyList<OrganizationLd>? Organizer,
    IReadOnlyList<OrganizationLd>? Contributor,
    IReadOnlyList<PersonLd>? Performer,
    IReadOnlyList<string>? Keywords,
    EventRefLd? SuperEvent,
    IReadOnlyList<EventRefLd>? SubEvent)
{
    public const string ContentType = "application/ld+json";

    private const string Schema = "https://schema.org/";

    /// <summary>JSON-LD leaves out what is unknown rather than stating null, and its names are not the API's kebab enums.</summary>
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <param name="links">The event's <c>url</c> and <c>@id</c> are its JSON address.</param>
    public static EventJsonLd From(EventDetailDto e, ILinks links)
    {
        var url = links.Event(e.Slug);
        var online = e.OnlineUrl is not null || e.Kind == EventKind.OnlineAction;
        var mode = (e.Place, online) switch
        {
            (not null, true) => "MixedEventAttendanceMode",
            (null, true) => "OnlineEventAttendanceMode",
            _ => "OfflineEventAttendanceMode",
        };

        var location = new List<object>();
        if (e.Place is { } p)
        {
            location.Add(new PlaceLd("Place", p.Name, Address(p), p.Latitude is { } lat && p.Longitude is { } lon ? new GeoLd("GeoCoordinates", lat, lon) : null));
        }

        if (e.OnlineUrl is { } onlineUrl)
        {
            location.Add(new VirtualLocationLd("VirtualLocation", onlineUrl));
        }

        OrganizationLd Organization(EventOrganizationDto o) => new("Organization", links.Organization(o.Slug), o.Name, links.Organization(o.Slug));

        return new EventJsonLd(
            "https://schema.org",
            "Event",
            url,
            url,
            e.Title,
            e.Description,
            e.Start,
            e.End,
            Schema + Status(e.Status),
            Schema + mode,
            location.Count switch { 0 => null, 1 => location[0], _ => location },
            NullIfEmpty(e.Organizations.Where(o => o.Role == ParticipationRole.Host).Select(Organization).ToList()),
            NullIfEmpty(e.Organizations.Where(o => o.Role != ParticipationRole.Host).Select(Organization).ToList()),
            NullIfEmpty(e.Speakers.Select(s => new PersonLd("Person", s.Name, s.Affiliation is { } a ? new OrganizationLd("Organization", null, a, null) : null)).ToList()),
            NullIfEmpty(e.Tags),
            e.Parent is { } parent ? new EventRefLd("Event", links.Event(parent), links.Event(parent), null, null, null, null) : null,
            NullIfEmpty(e.Sessions.Select(s => new EventRefLd("Event", links.Event(s.Slug), links.Event(s.Slug), s.Title, s.Start, s.End, Schema + Status(s.Status))).ToList()));
    }


    // A pending submission is shown only to the admin and its host, as what it asks to be: a scheduled event.
    private static string Status(Domain.Events.EventStatus status) => status switch
    {
        Domain.Events.EventStatus.Cancelled => "EventCancelled",
        Domain.Events.EventStatus.Postponed => "EventPostponed",
        _ => "EventScheduled",
    };

    private static PostalAddressLd? Address(PlaceDto p) =>
        p.Address is null && p.City is null && p.Region is null && p.CountryCode is null
            ? null
            : new PostalAddressLd("PostalAddress", p.Address, p.City, p.Region, p.CountryCode);

    private static IReadOnlyList<T>? NullIfEmpty<T>(IReadOnlyList<T> items) => items.Count == 0 ? null : items;
}

public sealed record PlaceLd([property: JsonPropertyName("@type")] string Type, string Name, PostalAddressLd? Address, GeoLd? Geo);

public sealed record PostalAddressLd(
    [property: JsonPropertyName("@type")] string Type, string? StreetAddress, string? AddressLocality, string? AddressRegion, string? AddressCountry);

public sealed record GeoLd([property: JsonPropertyName("@type")] string Type, double Latitude, double Longitude);

public sealed record VirtualLocationLd([property: JsonPropertyName("@type")] string Type, string Url);

public sealed record OrganizationLd(
    [property: JsonPropertyName("@type")] string Type, [property: JsonPropertyName("@id")] string? Id, string Name, string? Url);

public sealed record PersonLd([property: JsonPropertyName("@type")] string Type, string Name, OrganizationLd? Affiliation);

/// <summary>Another event named by this one: its parent assembly (address only) or one of its sessions.</summary>
public sealed record EventRefLd(
    [property: JsonPropertyName("@type")] string Type,
    [property: JsonPropertyName("@id")] string Id,
    string Url,
    string? Name,
    string? StartDate,
    string? EndDate,
    string? EventStatus);
