using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Organizer.Infrastructure.Persistence;

/// <summary>
/// What an operator reads about an outage: one warning when the database stops answering, with the driver's reason,
/// and one line when it answers again, with how long it was gone. EF's own error for every failed command is turned
/// down to Debug (<see cref="DatabaseAvailability"/>), so that an outage does not write an error with a stack for every
/// request; this logs a command that failed for any other reason at Error, with its SQL, as EF did.
/// </summary>
/// <remarks>
/// Every context goes through here, the readiness check's included, so an outage is noticed even when no request comes.
/// A connection that opens means the server is back: a broken one left in the pool is found by the command that uses it.
/// Outages are counted per server (the primary, and the replica's multi-host list): with a replica configured, reads
/// that reach it while the primary is down must not make the primary's outage look over and begin again.
/// </remarks>
public sealed class DatabaseOutageInterceptor(ILogger<DatabaseOutageInterceptor> logger) : DbCommandInterceptor, IDbConnectionInterceptor
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Outage> outages = new(StringComparer.Ordinal);

    private sealed class Outage
    {
        // Stopwatch timestamp of the first failure of the current outage; 0 while the server answers.
        public long DownSince;
        public int Failures;
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Failed(command.Connection, eventData.Exception, command);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Failed(command.Connection, eventData.Exception, command);
        return Task.CompletedTask;
    }

    public void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) => Failed(connection, eventData.Exception, null);

    public Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Failed(connection, eventData.Exception, null);
        return Task.CompletedTask;
    }

    public void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Reached(connection);

    public Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Reached(connection);
        return Task.CompletedTask;
    }

    /// <summary>The configured server (tcp://host:port, or the multi-host list), the same before and after it opens.</summary>
    private Outage Of(DbConnection? connection) => outages.GetOrAdd(connection?.DataSource ?? "", _ => new Outage());

    private void Failed(DbConnection? connection, Exception exception, DbCommand? command)
    {
        if (!DatabaseFailures.IsUnavailable(exception))
        {
            // A connection that fails for another reason (a wrong password, a database that does not exist yet) fails
            // its caller, which logs or answers it; only a command's SQL would be lost without this line.
            if (command is not null)
            {
                logger.LogError(exception, "Failed executing DbCommand: {CommandText}", command.CommandText);
            }

            return;
        }

        var outage = Of(connection);
        Interlocked.Increment(ref outage.Failures);
        if (Interlocked.CompareExchange(ref outage.DownSince, Stopwatch.GetTimestamp(), 0) == 0)
        {
            logger.LogWarning("The database is unavailable ({Reason}); requests that need it are answered 503 with Retry-After until it is back.",
                DatabaseFailures.Reason(exception));
        }
    }

    private void Reached(DbConnection connection)
    {
        var outage = Of(connection);
        var since = Interlocked.Read(ref outage.DownSince);
        if (since != 0 && Interlocked.CompareExchange(ref outage.DownSince, 0, since) == since)
        {
            logger.LogInformation("The database is available again after {Seconds:0.0} s; {Failures} attempts to reach it failed meanwhile.",
                Stopwatch.GetElapsedTime(since).TotalSeconds, Interlocked.Exchange(ref outage.Failures, 0));
        }
    }
}
