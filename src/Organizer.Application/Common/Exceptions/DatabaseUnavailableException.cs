namespace Organizer.Application.Common.Exceptions;

/// <summary>
/// The database cannot be reached right now (503 with Retry-After): stopped, refusing connections, shutting down, out
/// of connections, or a connection broken by its restart. Infrastructure decides what counts, since only it knows the
/// driver; nothing above it needs the driver's types.
/// </summary>
/// <param name="reason">What the driver said, for the operator's log only: it names hosts and ports, so never a response.</param>
public sealed class DatabaseUnavailableException(string reason, Exception innerException)
    : Exception($"The database is unavailable: {reason}", innerException)
{
    public string Reason { get; } = reason;
}
