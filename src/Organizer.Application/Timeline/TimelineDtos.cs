using Organizer.Domain.Events;

namespace Organizer.Application.Timeline;

public enum TimelineItemType
{
    Event,
    Statement,
    Resolution,
}

public sealed record TimelinePlaceDto(string Name, string? City);

/// <summary>
/// One action in an organization's record. <c>role</c> is the organization's part in it (for a statement,
/// "issuer"); <c>event</c> names the assembly a resolution was adopted at. An occurrence of a series is an action of
/// its own: <c>slug</c> is the series', <c>occurrence</c> the date that names it (it is at
/// <c>/api/events/{slug}/occurrences/{occurrence}</c>), and its title, times, place and status are its own where it
/// was changed. <c>status</c> is an event's or occurrence's (a cancelled one is listed, marked so); null for a statement.
/// </summary>
public sealed record TimelineItemDto(
    TimelineItemType Type,
    string Slug,
    string Title,
    string Date,
    bool? AllDay,
    string? Start,
    string? End,
    string Role,
    string? Kind,
    TimelinePlaceDto? Place,
    string? Event,
    EventStatus? Status = null,
    string? Occurrence = null);

public sealed record TimelinePageDto(string Organization, IReadOnlyList<TimelineItemDto> Items, string? NextCursor);
