using Organizer.Application.Common;
using Organizer.Application.Events.Series;
using Organizer.Application.Places;
using Organizer.Domain.Common;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

/// <summary>
/// A validated <see cref="EventInput"/> in the types the model uses: the one place the body's text becomes values.
/// The validator reports what would not parse with the same <see cref="Times"/> and <see cref="KebabEnum"/> functions,
/// so by the time a handler builds a draft every value parses.
/// </summary>
internal sealed record EventDraft
{
    public required string Title { get; init; }
    public required EventKind Kind { get; init; }
    public string? Description { get; init; }
    public required Visibility Visibility { get; init; }
    public string? OnlineUrl { get; init; }
    public required bool AllDay { get; init; }

    /// <summary>Wall-clock start; for all-day events, midnight of the first day.</summary>
    public required DateTime Start { get; init; }

    /// <summary>Wall-clock end; for all-day events, midnight of the last day (inclusive).</summary>
    public DateTime? End { get; init; }

    public string? TimeZone { get; init; }
    public string? PlaceSlug { get; init; }
    public PlaceInput? NewPlace { get; init; }
    public string? HostSlug { get; init; }
    public required IReadOnlyList<(string Slug, ParticipationRole Role)> Organizations { get; init; }
    public required IReadOnlyList<(string Name, string? Affiliation, string? Role)> Speakers { get; init; }
    public Attendance? Attendance { get; init; }
    public required List<string> Tags { get; init; }
    public required List<string> Demands { get; init; }
    public required List<Citation> Citations { get; init; }
    public string? ParentSlug { get; init; }

    /// <summary>The series' rule as posted; it becomes a rule once the zone is known (a UTC UNTIL is read in it).</summary>
    public RecurrenceInput? Recurrence { get; init; }

    /// <summary>Every organization slug the body names, the host's included.</summary>
    public IEnumerable<string> OrganizationSlugs => Organizations.Select(o => o.Slug).Concat(HostSlug is null ? [] : [HostSlug]);

    public static EventDraft From(EventInput input)
    {
        var allDay = input.AllDay == true;
        return new EventDraft
        {
            Title = input.Title!.Trim(),
            Kind = Parse<EventKind>(input.Kind),
            Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Replace("\r\n", "\n", StringComparison.Ordinal),
            Visibility = input.Visibility is null ? Visibility.Public : Parse<Visibility>(input.Visibility),
            OnlineUrl = input.OnlineUrl,
            AllDay = allDay,
            Start = Moment(input.Start, allDay) ?? throw Unparsed("start"),
            End = input.End is null ? null : Moment(input.End, allDay) ?? throw Unparsed("end"),
            TimeZone = input.TimeZone,
            PlaceSlug = input.Place,
            NewPlace = input.NewPlace,
            HostSlug = input.Host,
            Organizations = (input.Organizations ?? []).Select(o => (o.Slug!, Parse<ParticipationRole>(o.Role))).ToList(),
            Speakers = (input.Speakers ?? []).Select(s => (s.Name!.Trim(), s.Affiliation, s.Role)).ToList(),
            Attendance = input.Attendance is { } a ? new Attendance(a.Estimate, a.Reported!.Trim()) : null,
            Tags = input.Tags?.Select(t => t.ToLowerInvariant()).Distinct().ToList() ?? [],
            Demands = input.Demands?.Select(d => d.Trim()).ToList() ?? [],
            Citations = input.Sources?.Select(s => new Citation(s.Document!.Trim(), s.Quote!.Trim())).ToList() ?? [],
            ParentSlug = input.Parent,
            Recurrence = input.Recurrence,
        };
    }

    /// <summary>A date for an all-day event, a local date-time otherwise; null when the text is not one.</summary>
    public static DateTime? Moment(string? text, bool allDay) =>
        allDay
            ? Times.TryDate(text, out var date) ? date.ToDateTime(TimeOnly.MinValue) : null
            : Times.TryLocal(text, out var local) ? local : null;

    public EventSchedule Schedule(string zone) =>
        AllDay
            ? EventSchedule.AllDayRange(DateOnly.FromDateTime(Start), DateOnly.FromDateTime(End ?? Start), zone)
            : EventSchedule.Timed(Start, End, zone);

    private static T Parse<T>(string? text) where T : struct, Enum =>
        KebabEnum.TryParse<T>(text, out var value) ? value : throw new InvalidOperationException($"'{text}' reached a draft unvalidated.");

    private static InvalidOperationException Unparsed(string field) => new($"'{field}' reached a draft unvalidated.");
}
