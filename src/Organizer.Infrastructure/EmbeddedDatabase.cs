using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Organizer.Infrastructure.Postgres;

namespace Organizer.Infrastructure;

/// <summary>
/// With no <c>ConnectionStrings:Organizer</c>, starts the private PostgreSQL cluster before the container is built
/// and adds its connection string (and the generated admin token, unless one is configured) to the configuration.
/// Every service is then built from plain settings, so no resolution order can find the database missing.
/// </summary>
public static class EmbeddedDatabase
{
    public static async Task AddEmbeddedDatabaseAsync(this IHostApplicationBuilder builder, CancellationToken cancellationToken = default)
    {
        var configuration = builder.Configuration;

        // 'dotnet ef' runs Program up to Build() to find the DbContext, and adding a migration needs no server.
        if (EF.IsDesignTime || !string.IsNullOrWhiteSpace(configuration.GetConnectionString(DependencyInjection.ConnectionStringName)))
        {
            return;
        }

        var directory = (configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions()).ResolveDataDirectory();

        // The app's own loggers come with the container, which must not exist yet: until then, log to the console
        // with the app's Logging settings. The cluster keeps this logger until it is stopped.
        var loggers = LoggerFactory.Create(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddConsole());
        var logger = loggers.CreateLogger(typeof(EmbeddedDatabase).FullName!);
        LocalPostgresCluster? cluster = null;
        try
        {
            logger.LogInformation("No ConnectionStrings:Organizer configured; using the embedded PostgreSQL in {Directory}", directory);
            cluster = await LocalPostgresCluster.StartAsync(new LocalPostgresOptions(directory), logger, cancellationToken);

            var settings = new Dictionary<string, string?>
            {
                [$"ConnectionStrings:{DependencyInjection.ConnectionStringName}"] = cluster.ConnectionString,
            };
            if (string.IsNullOrEmpty(configuration[AdminCredentials.ConfigurationKey]))
            {
                settings[AdminCredentials.ConfigurationKey] = AdminCredentials.GeneratedIn(directory, loggers.CreateLogger<AdminCredentials>());
            }

            configuration.AddInMemoryCollection(settings);
        }
        catch
        {
            if (cluster is not null)
            {
                await cluster.StopAsync();
            }

            loggers.Dispose();
            throw;
        }

        builder.Services.AddHostedService(_ => new Owner(cluster, loggers));
    }

    /// <summary>
    /// Stops the cluster when the app stops. Hosted services stop in reverse order and this one is registered before
    /// the web server's, so requests in flight finish first. Disposal covers a host that failed to start, which never
    /// calls StopAsync; and under WebApplicationFactory both the factory and Program's Run() stop the host, so every
    /// caller waits for the one stop.
    /// </summary>
    private sealed class Owner(LocalPostgresCluster cluster, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
    {
        private readonly Lazy<Task> stop = new(async () =>
        {
            await cluster.StopAsync();
            loggers.Dispose();
        });

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => stop.Value;

        public async ValueTask DisposeAsync() => await stop.Value;
    }
}
