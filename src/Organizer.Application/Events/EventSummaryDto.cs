using Organizer.Application.Common.Links;
using Organizer.Application.Places;
using Organizer.Domain.Common;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

public sealed record EventOrganizationDto(string Slug, string Name, ParticipationRole Role);

/// <summary>
/// An event in a list. <c>start</c>/<c>end</c> are ISO 8601: a date for all-day events (end inclusive),
/// a local date-time with its UTC offset otherwise.
/// </summary>
public sealed record EventSummaryDto(
    string Slug,
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
    FeedLinksDto Calendar);
