using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Organizer.Infrastructure.Seeding;

namespace Organizer.Infrastructure.Persistence;

/// <summary>
/// Runs before the web server takes requests: applies migrations and seeds. The server itself is already running
/// (configured, or the embedded one started before the container was built), so nothing waits on this to get a DbContext.
/// Instances sharing a database do this one at a time, under <see cref="StartupLockKey"/>.
/// </summary>
public sealed class DatabaseStartup(
    IOptions<DatabaseOptions> options,
    IServiceScopeFactory scopes,
    AdminCredentials admin,
    ILogger<DatabaseStartup> logger) : IHostedService
{
    /// <summary>
    /// The PostgreSQL session advisory lock held while migrating and seeding. Instances started together on an empty
    /// database would otherwise both create the same tables, and the second would crash. Any constant works if every
    /// instance uses it and nothing else on the server does: this one is "Organizr" in ASCII. Advisory locks belong to
    /// one database, so apps on other databases of the same server never wait for it.
    /// </summary>
    public const long StartupLockKey = 0x4F72_6761_6E69_7A72;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!admin.IsConfigured)
        {
            logger.LogWarning("No Organizer:AdminToken is configured: admin routes will answer 401.");
        }

        var (migrate, seed) = (options.Value.MigrateOnStartup, options.Value.SeedOnStartup);
        if (!migrate && !seed)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrganizerDbContext>();
        await using var session = await LockAsync(db.Database.GetConnectionString()!, cancellationToken);
        try
        {
            if (migrate)
            {
                // The migrator reads the history table before creating it, and on a new database that read fails and
                // is logged as a failed command. Created first, the read succeeds and a failure logged is a real one.
                await ExecuteAsync(session, db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
                await db.Database.MigrateAsync(cancellationToken);
            }

            if (seed)
            {
                // Idempotent: it inserts only the records missing, so an instance that waited here finds none.
                await scope.ServiceProvider.GetRequiredService<Seeder>().SeedAsync(cancellationToken);
            }
        }
        finally
        {
            await UnlockAsync(session);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Takes the lock on a connection of its own, outside the pool: the lock belongs to the session, so the session must
    /// last exactly as long as the work, and closing it releases the lock even if the unlock below never runs.
    /// </summary>
    private async Task<NpgsqlConnection> LockAsync(string connectionString, CancellationToken cancellationToken)
    {
        var session = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await session.OpenAsync(cancellationToken);
            if (await ExecuteAsync(session, $"SELECT pg_try_advisory_lock({StartupLockKey})", cancellationToken) is not true)
            {
                logger.LogInformation("Another instance is migrating or seeding this database; waiting for it to finish.");

                // As long as that instance takes: stopping this one cancels the wait.
                await ExecuteAsync(session, $"SELECT pg_advisory_lock({StartupLockKey})", cancellationToken, timeoutSeconds: 0);
            }

            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private static async Task UnlockAsync(NpgsqlConnection session)
    {
        try
        {
            await ExecuteAsync(session, $"SELECT pg_advisory_unlock({StartupLockKey})", CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The connection broke, and the lock went with its session.
        }
    }

    private static async Task<object?> ExecuteAsync(NpgsqlConnection session, string sql, CancellationToken cancellationToken, int? timeoutSeconds = null)
    {
        await using var command = new NpgsqlCommand(sql, session);
        if (timeoutSeconds is { } timeout)
        {
            command.CommandTimeout = timeout;
        }

        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
