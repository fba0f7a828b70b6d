using Organizer.Application.Events.Series;
using Organizer.Application.Places;
namespace Organizer.Application.Events;

/// <summary>
/// The body of POST and PUT /api/events (and, merged with a patch, of PATCH): the read API's event, with wall-clock
/// times and the zone they are in. Values stay text until validated so that every mistake is reported by field.
/// </summary>
public sealed record EventInput
{
    public string? Title { get; init; }
    public string? Kind { get; init; }
    public string? Description { get; init; }
    public bool? AllDay { get; init; }

    /// <summary>Local date-time (2026-12-05T14:00:00) for timed events; a date (2026-12-05) for all-day events.</summary>
    public string? Start { get; init; }

    /// <summary>As <see cref="Start"/>; for all-day events, the last day (inclusive).</summary>
    public string? End { get; init; }

    public string? TimeZone { get; init; }

    /// <summary>An existing place's slug.</summary>
    public string? Place { get; init; }

    public PlaceInput? NewPlace { get; init; }
    public string? OnlineUrl { get; init; }

    /// <summary>The admin names the host; an organization token is always the host itself.</summary>
    public string? Host { get; init; }

    public List<ParticipationInput>? Organizations { get; init; }
    public List<SpeakerInput>? Speakers { get; init; }
    public AttendanceInput? Attendance { get; init; }
    public List<string>? Tags { get; init; }
    public List<string>? Demands { get; init; }
    public string? Visibility { get; init; }
    public string? Parent { get; init; }

    /// <summary>How the event repeats: it is then a series, and start, end and timeZone are its first occurrence.</summary>
    public RecurrenceInput? Recurrence { get; init; }

    /// <summary>Where the event is reported: a document (a URL, or a source document's name) and the quote from it.</summary>
    public List<SourceInput>? Sources { get; init; }
}

public sealed record SourceInput(string? Document, string? Quote);

public sealed record ParticipationInput(string? Slug, string? Role);

public sealed record SpeakerInput(string? Name, string? Affiliation, string? Role);

public sealed record AttendanceInput(int? Estimate, string? Reported);
