namespace Organizer.Application.Cities;

/// <summary>City names as places record them, read by a PostgreSQL skip scan (in Infrastructure).</summary>
public interface ICityQueries
{
    /// <summary>
    /// Every distinct city name of any place, public or not: one index probe per city rather than a read of every
    /// place (SELECT DISTINCT read all 40,000 places of the 1,000,000-event data set; see docs/performance.md).
    /// </summary>
    Task<IReadOnlyList<string>> NamesAsync(CancellationToken cancellationToken);
}
