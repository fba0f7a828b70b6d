using Organizer.Domain.Events;

namespace Organizer.Application.Timeline;

/// <summary>
/// What an organization's summary is made of, read from what the database keeps rather than counted per request: the
/// counts by year and kind that triggers keep in the same transaction as every write (the KeptOrganizationSummaries
/// migration), and the first and last action, read from the ends of the timeline's ordered indexes. Only listed events
/// (<see cref="Access.EventVisibility.Listed"/>) count, and no series: which of a series' occurrences have taken place
/// changes with time, so the summary counts them when it is read.
/// </summary>
public interface IOrganizationSummaryQueries
{
    Task<KeptSummary> ReadAsync(Guid organization, CancellationToken cancellationToken);
}

/// <summary>Listed events an organization took part in that started in <paramref name="Year"/> and are of <paramref name="Kind"/>.</summary>
public sealed record KeptEventCount(int Year, EventKind Kind, int Events);

/// <summary>Statements an organization issued or co-issued in <paramref name="Year"/>.</summary>
public sealed record KeptStatementCount(int Year, int Statements);

/// <summary>
/// The counts that are not zero, and the earliest and latest listed event (not a series) and statement; among actions
/// at one instant, the first is the one with the lowest id and the last the one with the highest, as the timeline
/// orders them.
/// </summary>
public sealed record KeptSummary(
    IReadOnlyList<KeptEventCount> Events,
    IReadOnlyList<KeptStatementCount> Statements,
    KeptEventEnd? FirstEvent,
    KeptEventEnd? LastEvent,
    ActionRefDto? FirstStatement,
    ActionRefDto? LastStatement);

/// <summary>The first or last listed event, with its place in the timeline's order to compare with an occurrence's.</summary>
public sealed record KeptEventEnd(ActionRefDto Action, DateTimeOffset SortAt, Guid Id);
