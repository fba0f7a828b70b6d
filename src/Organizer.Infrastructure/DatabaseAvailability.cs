using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;
using Organizer.Infrastructure.Persistence;

namespace Organizer.Infrastructure;

/// <summary>
/// What keeps an outage of PostgreSQL short for a client: a connection attempt that gives up within a second, and a
/// readiness check that answers within two, and one warning per outage in the log rather than an error per request. The
/// mediator's part is <see cref="DatabaseAvailabilityBehaviour{TMessage,TResponse}"/>.
/// </summary>
public static class DatabaseAvailability
{
    /// <summary>
    /// Npgsql's connect timeout when the connection string sets none. Its own default, 15 s, would hold every request
    /// that long while a server's address swallows connection attempts (a host gone from the network, a firewall that
    /// drops): far past the 2 s within which a client is told to come back later. A second is ample for a connection
    /// on a LAN or in a cloud region, TLS included. The same timeout bounds a wait for a free pooled connection, so an
    /// exhausted pool also answers 503 after a second rather than piling requests up. A connection string that sets
    /// <c>Timeout</c> keeps it, and with it its own bound.
    /// </summary>
    public const int DefaultConnectTimeoutSeconds = 1;

    /// <summary>Readiness answers within this even if a check hangs: a load balancer's probe must not time out instead.</summary>
    public static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(1.5);

    /// <summary>The connection string with <see cref="DefaultConnectTimeoutSeconds"/> unless it sets <c>Timeout</c> itself.</summary>
    public static string WithFailFastConnect(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);

        // Keys holds only what the string set, under Npgsql's canonical names ("timeout=5" is "Timeout").
        if (builder.Keys.Cast<string>().Contains(nameof(NpgsqlConnectionStringBuilder.Timeout), StringComparer.OrdinalIgnoreCase))
        {
            return connectionString;
        }

        builder.Timeout = DefaultConnectTimeoutSeconds;
        return builder.ConnectionString;
    }

    /// <summary>
    /// The outage log (<see cref="DatabaseOutageInterceptor"/>) on every context, with EF's per-failure errors turned
    /// down to Debug; and every health check, the database's among them, bounded by <see cref="HealthCheckTimeout"/>.
    /// </summary>
    public static IServiceCollection AddDatabaseAvailability(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseOutageInterceptor>();
        services.ConfigureDbContext<OrganizerDbContext>((sp, options) => options
            .AddInterceptors(sp.GetRequiredService<DatabaseOutageInterceptor>())
            .ConfigureWarnings(warnings => warnings.Log(
                (RelationalEventId.CommandError, LogLevel.Debug),
                (RelationalEventId.ConnectionError, LogLevel.Debug),
                (CoreEventId.QueryIterationFailed, LogLevel.Debug),
                (CoreEventId.SaveChangesFailed, LogLevel.Debug))));

        // The health check service logs an error for every unhealthy probe: a load balancer probing each second would
        // write one a second for the length of an outage, which the interceptor has already reported once. The
        // database is the only check, so nothing else goes unreported.
        services.Configure<LoggerFilterOptions>(options => options.AddFilter(
            "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.Critical));

        return services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var check in options.Registrations.Where(check => check.Timeout == Timeout.InfiniteTimeSpan || check.Timeout > HealthCheckTimeout))
            {
                check.Timeout = HealthCheckTimeout;
            }
        });
    }
}
