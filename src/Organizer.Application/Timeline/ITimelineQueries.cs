using Organizer.Domain.Events;

namespace Organizer.Application.Timeline;

/// <summary>
/// The organization record's SQL read model, in Infrastructure. The timeline is one statement that merges separately
/// ordered and limited branches, each walking its own index (see docs/performance.md); LINQ cannot say that. Only
/// listed events (<see cref="Access.EventVisibility.Listed"/>) and their resolutions are read. A series is never an
/// action itself: its occurrences are, expanded by the caller from <see cref="SeriesAsync"/>.
/// </summary>
public interface ITimelineQueries
{
    /// <summary>
    /// Up to <see cref="TimelineRequest.Take"/> actions in timeline order, after <see cref="TimelineRequest.After"/>;
    /// series left out.
    /// </summary>
    Task<IReadOnlyList<TimelineRow>> ActionsAsync(TimelineRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// The listed series <paramref name="organization"/> takes part in, with their places, changed occurrences (and
    /// their places) and participants, untracked; one probe of a partial index when it has none.
    /// </summary>
    Task<IReadOnlyList<OrganizationSeries>> SeriesAsync(Guid organization, CancellationToken cancellationToken);

    /// <summary>
    /// The ten organizations that share the most listed events with <paramref name="organization"/>, most first, then
    /// by slug. Two roles at one event count once. Single events are kept counts; <paramref name="throughSeries"/> adds
    /// what the caller counted of the series' occurrences, by partner.
    /// </summary>
    Task<IReadOnlyList<PartnerDto>> PartnersAsync(Guid organization, IReadOnlyDictionary<Guid, int> throughSeries, CancellationToken cancellationToken);
}

/// <summary>A series an organization takes part in, and its part in it.</summary>
/// <param name="Series">With <see cref="Event.Place"/>, <see cref="Event.Overrides"/> (and theirs) and <see cref="Event.Participations"/> loaded.</param>
public sealed record OrganizationSeries(Event Series, ParticipationRole Role);

/// <summary>Which actions of an organization to read. The handler has decided which branches can match the filters.</summary>
/// <param name="Upcoming">Actions from <paramref name="Now"/> on, soonest first; otherwise those before it, newest first.</param>
/// <param name="From">Events that reach this date, statements issued on or after it.</param>
/// <param name="To">Events that start by this date, statements issued on or before it.</param>
/// <param name="Take">The most rows to return (a page and one more, to know whether another follows).</param>
public sealed record TimelineRequest(
    Guid Organization,
    DateTimeOffset Now,
    bool Upcoming,
    bool Events,
    bool Statements,
    bool Resolutions,
    DateOnly? From,
    DateOnly? To,
    ParticipationRole? Role,
    EventKind? Kind,
    TimelineCursor? After,
    int Take);

/// <summary>An action as the read model returns it.</summary>
public sealed record TimelineRow
{
    /// <summary>Orders actions at one instant (descending in the past, ascending upcoming): events, statements, resolutions.</summary>
    public const int EventRank = 3, StatementRank = 2, ResolutionRank = 1;

    public required int Rank { get; init; }

    /// <summary>A resolution's ordinal within its assembly; 0 for other actions.</summary>
    public required int Seq { get; init; }

    public required Guid Id { get; init; }
    public required string Slug { get; init; }
    public required string Title { get; init; }
    public required DateTimeOffset SortAt { get; init; }

    /// <summary>The organization's role at the event; null for a statement, which it issued.</summary>
    public ParticipationRole? Role { get; init; }

    public EventKind? Kind { get; init; }
    public required bool AllDay { get; init; }
    public DateTimeOffset? StartsAt { get; init; }
    public DateTimeOffset? EndsAt { get; init; }
    public required DateOnly StartDate { get; init; }
    public required DateOnly EndDate { get; init; }
    public required string TimeZone { get; init; }
    public string? PlaceName { get; init; }
    public string? PlaceCity { get; init; }

    /// <summary>The slug of the assembly a resolution was adopted at.</summary>
    public string? Event { get; init; }

    /// <summary>An event's status (or an occurrence's own); null for a statement.</summary>
    public EventStatus? Status { get; init; }

    /// <summary>For an occurrence of a series (<see cref="Slug"/>), the date that names it; null for anything else.</summary>
    public DateOnly? Occurrence { get; init; }
}
