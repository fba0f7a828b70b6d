using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Organizer.Infrastructure.Postgres;
using Organizer.Infrastructure.Seeding;

namespace Organizer.Infrastructure.Persistence;

/// <summary>
/// Runs before the web server takes requests: starts the embedded PostgreSQL when no connection string is
/// configured, applies migrations and seeds. Stops the embedded server on shutdown.
/// </summary>
public sealed class DatabaseStartup(
    DatabaseConnection connection,
    IOptions<DatabaseOptions> options,
    IServiceScopeFactory scopes,
    AdminCredentials admin,
    ILogger<DatabaseStartup> logger) : IHostedService
{
    private LocalPostgresCluster? cluster;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!connection.IsConfigured)
        {
            var directory = options.Value.ResolveDataDirectory();
            logger.LogInformation("No ConnectionStrings:Organizer configured; using the embedded PostgreSQL in {Directory}", directory);
            cluster = await LocalPostgresCluster.StartAsync(new LocalPostgresOptions(directory), logger, cancellationToken);
            connection.Set(cluster.ConnectionString);
            admin.UseGeneratedIn(directory);
        }
        else if (!admin.IsConfigured)
        {
            logger.LogWarning("No Organizer:AdminToken is configured: admin routes will answer 401.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrganizerDbContext>();
        if (options.Value.MigrateOnStartup)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        if (options.Value.SeedOnStartup)
        {
            await scope.ServiceProvider.GetRequiredService<Seeder>().SeedAsync(cancellationToken);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (cluster is not null)
        {
            await cluster.StopAsync();
        }
    }
}
