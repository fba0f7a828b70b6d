namespace Organizer.Application.Common.Exceptions;

/// <summary>
/// The request needs more work than one request is allowed, and the work done so far is kept, so that asking again
/// goes on from there (503 with Retry-After). The message is the client's to read.
/// </summary>
public sealed class TryLaterException(string message, int retryAfterSeconds) : Exception(message)
{
    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}
