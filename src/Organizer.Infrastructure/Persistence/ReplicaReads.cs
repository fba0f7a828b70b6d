using System.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Organizer.Application.Common;

namespace Organizer.Infrastructure.Persistence;

/// <summary>
/// Where queries that may read a replica go: <c>ConnectionStrings:OrganizerReplica</c>, then the primary, through
/// Npgsql's multi-host failover with <c>Target Session Attributes=prefer-standby</c>. A replica that is down refuses
/// the connection and Npgsql goes on to the primary (and skips the replica for a while); one that was promoted is
/// still used. A replica string that already names its hosts and session attributes is used as it is.
/// </summary>
public sealed record ReplicaConnection(string ConnectionString)
{
    public const string ConnectionStringName = "OrganizerReplica";

    public static ReplicaConnection? From(string? replica, string primary)
    {
        if (string.IsNullOrWhiteSpace(replica))
        {
            return null;
        }

        var reads = new NpgsqlConnectionStringBuilder(replica);
        if (reads.TargetSessionAttributes is null)
        {
            reads.Host = $"{Hosts(reads)},{Hosts(new NpgsqlConnectionStringBuilder(primary))}";
            reads.TargetSessionAttributes = "prefer-standby";
            if (!replica.Contains("Host Recheck", StringComparison.OrdinalIgnoreCase))
            {
                // Npgsql skips a host it saw down for this long, and fails at once when it saw them all down: after
                // an outage, reads would answer 503 for ten seconds (the default) although both servers are back.
                reads.HostRecheckSeconds = 2;
            }
        }

        return new ReplicaConnection(reads.ConnectionString);
    }

    /// <summary>Each host with its port, as a multi-host Host= list needs when the two servers' ports differ.</summary>
    private static string Hosts(NpgsqlConnectionStringBuilder builder) => string.Join(",", (builder.Host ?? "localhost")
        .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(host => host switch
        {
            // [v6] or [v6]:port
            ['[', ..] => host.LastIndexOf(':') > host.IndexOf(']') ? host : $"{host}:{builder.Port}",
            // A bare IPv6 address: bracketed, or its last group would read as a port.
            _ when host.Count(c => c == ':') > 1 => $"[{host}]:{builder.Port}",
            _ when host.Contains(':') => host,
            _ => $"{host}:{builder.Port}",
        }));
}

/// <summary>
/// Points the request's DbContext at the replica for a query that allows it (<see cref="IReadsReplica"/>), and back
/// at the primary after. Only while the context has no open connection or transaction: a query sent in the middle of
/// other work stays on the primary.
/// </summary>
public sealed class ReplicaReadBehaviour<TMessage, TResponse>(OrganizerDbContext db, ReplicaConnection? replica = null)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (replica is null
            || message is not IReadsReplica reads
            || !reads.MayReadReplica
            || db.Database.CurrentTransaction is not null
            || db.Database.GetDbConnection().State != ConnectionState.Closed)
        {
            return await next(message, cancellationToken);
        }

        var primary = db.Database.GetConnectionString();
        db.Database.SetConnectionString(replica.ConnectionString);
        try
        {
            return await next(message, cancellationToken);
        }
        finally
        {
            db.Database.SetConnectionString(primary);
        }
    }
}
