using Organizer.Application.Common.Links;
using Organizer.Application.Places;
using Organizer.Domain.Common;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

public sealed record EventOrganizationDto(string Slug, string Name, ParticipationRole Role);

/// <summary>
/// An event in a list, or one occurrence of a series. <c>start</c>/<c>end</c> are ISO 8601: a date for all-day events
/// (end inclusive), a local date-time with its UTC offset otherwise.
/// </summary>
/// <param name="Slug">The event's slug; for an occurrence, its series'.</param>
/// <param name="Occurrence">
/// For an occurrence of a series, the date its rule gives it (YYYY-MM-DD), which names it even when it has moved; its
/// title, status, times and place are its own. Null for a single event, and for a series listed once (by a search).
/// </param>
/// <param name="Url">The item's JSON address: the event's, or the occurrence's (/api/events/{slug}/occurrences/{date}).</param>
public sealed record EventSummaryDto(
    string Slug,
    string? Occurrence,
    string Title,
    EventKind Kind,
    EventStatus Status,
    bool AllDay,
    string Start,
    string? End,
    string TimeZone,
    DatePrecision DatePrecision,
    PlaceRefDto? Place,
    IReadOnlyList<EventOrganizationDto> Organizations,
    string? Parent,
    FeedLinksDto Calendar,
    string Url);
