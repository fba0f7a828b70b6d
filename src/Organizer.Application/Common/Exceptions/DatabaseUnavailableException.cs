namespace Organizer.Application.Common.Exceptions;

/// <summary>The database could not be reached: the request may succeed later, so it is answered 503.</summary>
public sealed class DatabaseUnavailableException(Exception inner)
    : Exception("The database is unavailable.", inner);
