namespace Organizer.Application.Common.Exceptions;

/// <summary>The request needs a valid token and has none (401).</summary>
/// <param name="invalidToken">A token was sent and refused: the challenge then says <c>error="invalid_token"</c> (RFC 6750).</param>
public sealed class UnauthorizedException(string message, bool invalidToken = false) : Exception(message)
{
    public bool InvalidToken { get; } = invalidToken;
}

/// <summary>The caller is known but may not do this (403).</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>The write conflicts with the current state (409).</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>The record changed since the version the caller sent in If-Match (412).</summary>
public sealed class PreconditionFailedException(string message) : Exception(message);
