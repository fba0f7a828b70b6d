using Organizer.Application.Common.Links;
using Organizer.Application.Common.Models;
using Organizer.Application.Places;
using Organizer.Domain.Common;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

public sealed record SpeakerDto(string Name, string? Affiliation, string? Role, string? Organization);

public sealed record AttendanceDto(int? Estimate, string Reported);

public sealed record SessionDto(string Slug, string Title, EventKind Kind, EventStatus Status, bool AllDay, string Start, string? End);

public sealed record ResolutionDto(int Ordinal, string Title, string Text, ResolutionOutcome Outcome, IReadOnlyList<SourceDto> Sources);

public sealed record StatementRefDto(string Slug, string Title, DateOnly IssuedOn);

public sealed record EventDetailDto(
    string Slug,
    string Title,
    EventKind Kind,
    EventStatus Status,
    Visibility Visibility,
    bool AllDay,
    string Start,
    string? End,
    string TimeZone,
    DatePrecision DatePrecision,
    string? DateNote,
    string? Description,
    PlaceDto? Place,
    string? OnlineUrl,
    IReadOnlyList<EventOrganizationDto> Organizations,
    string? Parent,
    IReadOnlyList<SessionDto> Sessions,
    IReadOnlyList<SpeakerDto> Speakers,
    AttendanceDto? Attendance,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Demands,
    IReadOnlyList<ResolutionDto> Resolutions,
    IReadOnlyList<StatementRefDto> StatementsRead,
    IReadOnlyList<string> Notes,
    IReadOnlyList<SourceDto> Sources,
    int Sequence,
    FeedLinksDto Calendar,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    Series.SeriesDto? Recurrence);

/// <summary>A written event as its writer now sees it, with the version clients send back in If-Match.</summary>
public sealed record WrittenEvent(EventDetailDto Event, uint Version);
