using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Organizer.Infrastructure.Seeding;

namespace Organizer.Infrastructure.Persistence;

/// <summary>
/// Runs before the web server takes requests: applies migrations and seeds. The server itself is already running
/// (configured, or the embedded one started before the container was built), so nothing waits on this to get a DbContext.
/// </summary>
public sealed class DatabaseStartup(
    IOptions<DatabaseOptions> options,
    IServiceScopeFactory scopes,
    AdminCredentials admin,
    ILogger<DatabaseStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!admin.IsConfigured)
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

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
