using Organizer.Domain.Common;
using Organizer.Domain.Places;

namespace Organizer.Domain.Events;

/// <summary>An action: a rally, picket, march, assembly, one session of an assembly, an online action…</summary>
public sealed class Event : Entity
{
    public required string Slug { get; set; }
    public required string Title { get; set; }
    public EventKind Kind { get; set; }
    public EventStatus Status { get; set; } = EventStatus.Scheduled;

    /// <summary>Why the event was cancelled or postponed, as the organizers put it.</summary>
    public string? StatusReason { get; set; }
    public Visibility Visibility { get; set; } = Visibility.Public;
    public required EventSchedule Schedule { get; set; }

    /// <summary>How a date that the source does not state was worked out.</summary>
    public string? DateNote { get; set; }

    public Guid? ParentId { get; set; }
    public Event? Parent { get; set; }
    public List<Event> Sessions { get; set; } = [];

    public Guid? PlaceId { get; set; }
    public Place? Place { get; set; }
    public string? OnlineUrl { get; set; }

    public List<EventParticipation> Participations { get; set; } = [];
    public List<EventSpeaker> Speakers { get; set; } = [];
    public Attendance? Attendance { get; set; }
    public List<string> Tags { get; set; } = [];
    public List<string> Demands { get; set; } = [];
    public string? Description { get; set; }
    public List<string> Notes { get; set; } = [];
    public List<Citation> Citations { get; set; } = [];

    /// <summary>iCalendar SEQUENCE: raised on every change a subscriber would see.</summary>
    public int Sequence { get; set; }

    /// <summary>
    /// How the event repeats, when it is a series; <see cref="Schedule"/> is then its first occurrence. Only the rule,
    /// the removed dates and the changed occurrences are stored, never the occurrences themselves.
    /// </summary>
    public Recurrence? Recurrence { get; set; }

    /// <summary>The last local date a series' occurrences reach; null for an endless series and for a single event.</summary>
    public DateOnly? SeriesEndDate { get; set; }

    /// <summary>Occurrence dates removed from the series (EXDATE).</summary>
    public List<DateOnly> ExceptDates { get; set; } = [];

    /// <summary>Occurrences of the series changed one by one (a RECURRENCE-ID in a feed).</summary>
    public List<OccurrenceOverride> Overrides { get; set; } = [];
}

/// <summary>
/// One occurrence of a series, changed: another time, place, title or status. Null fields keep the series' value.
/// </summary>
public sealed class OccurrenceOverride
{
    public Guid EventId { get; set; }

    /// <summary>The local date the occurrence has in the series' rule, which names it even when it has moved.</summary>
    public DateOnly Occurrence { get; set; }

    public string? Title { get; set; }
    public EventStatus? Status { get; set; }
    public string? StatusReason { get; set; }
    public Guid? PlaceId { get; set; }
    public Places.Place? Place { get; set; }

    /// <summary>The occurrence's own wall-clock start in the series' zone (a date at midnight for an all-day series), when moved.</summary>
    public DateTime? Start { get; set; }

    /// <summary>Its own wall-clock end, when moved; for an all-day series, the last day at midnight.</summary>
    public DateTime? End { get; set; }

    /// <summary>The occurrence's own iCalendar SEQUENCE, raised when it changes.</summary>
    public int Sequence { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class EventParticipation
{
    public Guid EventId { get; set; }
    public Guid OrganizationId { get; set; }
    public Organizations.Organization? Organization { get; set; }
    public ParticipationRole Role { get; set; }
}

public sealed class EventSpeaker : Entity
{
    public Guid EventId { get; set; }
    public int Ordinal { get; set; }
    public required string Name { get; set; }
    public string? Affiliation { get; set; }

    /// <summary>The speaker's title or role as reported, e.g. "General Secretary".</summary>
    public string? Role { get; set; }

    public Guid? OrganizationId { get; set; }
    public Organizations.Organization? Organization { get; set; }
}

/// <summary>A reported crowd size: the wording as reported, and a number only where the wording gives one.</summary>
public sealed record Attendance(int? Estimate, string Reported);
