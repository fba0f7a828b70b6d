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
/// "issuer"); <c>event</c> names the assembly a resolution was adopted at.
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
    string? Event);

public sealed record TimelinePageDto(string Organization, IReadOnlyList<TimelineItemDto> Items, string? NextCursor);
