using System.Net.Sockets;
using Npgsql;
using Organizer.Application.Common.Exceptions;

namespace Organizer.Infrastructure.Persistence;

/// <summary>
/// Which failures mean "the database is unavailable" rather than "this request is wrong" or "the code is wrong":
/// nothing the caller sent can fix them, and the same request may well succeed in a few seconds. They leave this layer
/// as <see cref="DatabaseUnavailableException"/>, which the Api answers with 503 and Retry-After.
/// </summary>
public static class DatabaseFailures
{
    /// <summary>
    /// PostgreSQL's own refusals that mean it is going away, not there yet, or full: class 08 (the connection failed),
    /// 57P01 to 57P03 (shut down by an administrator, after a crash, or not accepting connections yet), and 53300 (too
    /// many connections).
    /// </summary>
    private static bool IsUnavailableState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.TooManyConnections;

    /// <summary>
    /// True for a refused or broken connection, a connect or pool timeout, or one of the server states above, however
    /// EF wraps it (DbUpdateException, or the execution strategy's InvalidOperationException around a transient failure).
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // The caller hung up or gave up: that says nothing about the database.
                case OperationCanceledException:
                    return false;
                case DatabaseUnavailableException:
                    return true;
                case PostgresException postgres:
                    // A server that answered with an error is up, unless the error says it is going away; and a
                    // serialization failure or deadlock is transient, but it is the request's to retry, not an outage.
                    return IsUnavailableState(postgres.SqlState);
                case NpgsqlException { IsTransient: true }:
                case SocketException or TimeoutException:
                    return true;

                // Multi-host reads (the replica, then the primary) while Npgsql remembers every host as down: it
                // throws this without trying them again, and without an inner exception to say why.
                case NpgsqlException { InnerException: null } npgsql when npgsql.Message.StartsWith("No suitable host", StringComparison.Ordinal):
                    return true;
            }
        }

        return false;
    }

    /// <summary>The application's exception for an unavailable database, or null when <paramref name="exception"/> is some other failure.</summary>
    public static DatabaseUnavailableException? Translate(Exception exception) => exception switch
    {
        DatabaseUnavailableException already => already,
        _ when IsUnavailable(exception) => new DatabaseUnavailableException(Reason(exception), exception),
        _ => null,
    };

    /// <summary>Runs a database call outside the mediator (its pipeline translates the rest) and translates its unavailability.</summary>
    public static async Task<T> TranslateAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (Translate(e) is { } unavailable)
        {
            throw unavailable;
        }
    }

    /// <inheritdoc cref="TranslateAsync{T}(Func{Task{T}})"/>
    public static async Task TranslateAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (Translate(e) is { } unavailable)
        {
            throw unavailable;
        }
    }

    /// <summary>
    /// The driver's words, from the outermost Npgsql exception down to the socket's ("Failed to connect to
    /// 127.0.0.1:5432: Connection refused", "57P01: terminating connection due to administrator command"): enough for an
    /// operator, without EF's wrappers.
    /// </summary>
    public static string Reason(Exception exception)
    {
        var driver = exception;
        while (driver is not (NpgsqlException or SocketException or TimeoutException) && driver.InnerException is not null)
        {
            driver = driver.InnerException;
        }

        var words = new List<string>();
        for (var e = driver; e is not null; e = e.InnerException)
        {
            var message = e is PostgresException postgres ? $"{postgres.SqlState}: {postgres.MessageText}" : e.Message;
            if (!words.Contains(message, StringComparer.Ordinal))
            {
                words.Add(message);
            }
        }

        return string.Join(": ", words);
    }
}
