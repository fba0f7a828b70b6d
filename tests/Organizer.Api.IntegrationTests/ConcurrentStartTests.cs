using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// Two instances deployed together start at the same moment on an empty database. Both must come up, and the
/// database must be migrated and seeded once: the second waits for the first rather than crashing on a table the
/// first has just created.
/// </summary>
public sealed class ConcurrentStartTests
{
    [Fact]
    public async Task TwoInstancesStartedTogether_OnAnEmptyDatabase_BothServe_AndTheDatabaseIsMigratedAndSeededOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await TestDatabase.CreateDatabaseAsync();
        await using var first = new SharedDatabaseApp(connectionString);
        await using var second = new SharedDatabaseApp(connectionString);

        // StartServer blocks while the host starts (migrations and seeding included), so each gets a thread of its own.
        using var ready = new Barrier(2);
        await Task.WhenAll(
            Task.Run(() => { ready.SignalAndWait(ct); first.StartServer(); }, ct),
            Task.Run(() => { ready.SignalAndWait(ct); second.StartServer(); }, ct));

        foreach (var app in new[] { first, second })
        {
            using var response = await app.CreateClient().GetAsync("/api/organizations", ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var scope = first.CreateScope(out var db);
        var migrations = db.Database.GetMigrations().ToList();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var history = new NpgsqlCommand("SELECT migration_id FROM \"__EFMigrationsHistory\" ORDER BY migration_id", connection);
        var applied = new List<string>();
        await using (var reader = await history.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                applied.Add(reader.GetString(0));
            }
        }

        Assert.Equal(migrations, applied);

        // Released once both are up: a lock left behind would hold up the next deploy's instances forever.
        await using var locks = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = current_database()",
            connection);
        Assert.Equal(0L, await locks.ExecuteScalarAsync(ct));
        Assert.Equal(SeedFile.Section("organizations").Count(), await db.Organizations.CountAsync(ct));
        Assert.Equal(SeedFile.Section("events").Count(), await db.Events.CountAsync(ct));
        Assert.Equal(SeedFile.Section("statements").Count(), await db.Statements.CountAsync(ct));
    }

    /// <summary>The tests' usual app, on a database another instance shares, started by the test itself.</summary>
    private sealed class SharedDatabaseApp(string connectionString) : ApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ConnectionStrings:Organizer", connectionString);
        }
    }
}
