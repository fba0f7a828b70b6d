using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Organizer.Application;
using Organizer.Infrastructure.Persistence;
using Organizer.Infrastructure.Postgres;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// The app with no connection string, as 'dotnet run' on a fresh machine: it starts its own PostgreSQL in an empty
/// directory, and that server's connection string is settled before anything can ask for a DbContext.
/// </summary>
public sealed class EmbeddedDatabaseTests : IAsyncLifetime
{
    // The test run's prefix, so that a killed run's server is swept by the next one like the shared test cluster.
    private readonly string directory = Path.Combine(Path.GetTempPath(), TestDatabase.Prefix + "embedded-" + Guid.NewGuid().ToString("N")[..12]);

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        LocalPostgresCluster.MarkOwned(directory);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The next run's sweep removes it.
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task FirstStart_OnAnEmptyDirectory_StartsMigratesSeedsAndGeneratesTheAdminToken()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = new EmbeddedApp(directory);

        // Resolved before any request, straight from the container.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IOrganizerDbContext>();
            Assert.NotEqual(0, await db.Events.CountAsync(ct));
        }

        var client = app.CreateClient();
        Assert.NotEmpty(await client.GetAllEventsAsync());

        var token = (await File.ReadAllTextAsync(Path.Combine(directory, "admin-token"), ct)).Trim();
        await (await client.SendJsonAsync(HttpMethod.Get, "/api/events?status=pending", null, token)).ExpectAsync(HttpStatusCode.OK);
        await (await client.SendJsonAsync(HttpMethod.Get, "/api/events?status=pending", null, "admin.not-the-token")).ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_DbContext_UsedWhileTheHostIsStillBeingAssembled_ReachesTheEmbeddedServer()
    {
        await using var app = new EmbeddedApp(directory, useDatabaseEarly: true);

        var early = app.Services.GetRequiredService<EarlyDatabaseUser>();

        Assert.True(early.CouldConnect);
        Assert.True(early.MigrationsWerePending, "the DbContext was used before startup migrated the database");
    }

    [Fact]
    public async Task Restart_OnTheSameDirectory_KeepsTheDataAndTheToken_AndStoppingTheAppStopsTheServer()
    {
        var ct = TestContext.Current.CancellationToken;
        var postmaster = Path.Combine(directory, "data", "postmaster.pid");
        var tokenFile = Path.Combine(directory, "admin-token");

        int firstCount;
        await using (var first = new EmbeddedApp(directory))
        {
            firstCount = (await first.CreateClient().GetAllEventsAsync()).Count;
            Assert.True(File.Exists(postmaster));
        }

        Assert.False(File.Exists(postmaster), "the server outlived the app");
        var token = await File.ReadAllTextAsync(tokenFile, ct);

        await using (var second = new EmbeddedApp(directory))
        {
            Assert.Equal(firstCount, (await second.CreateClient().GetAllEventsAsync()).Count);
        }

        Assert.False(File.Exists(postmaster), "the server outlived the app");
        Assert.Equal(token, await File.ReadAllTextAsync(tokenFile, ct));
    }

    private sealed class EmbeddedApp(string directory, bool useDatabaseEarly = false) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");

            // Empty rather than absent, so that settings from the environment cannot replace the embedded database.
            builder.UseSetting("ConnectionStrings:Organizer", "");
            builder.UseSetting("Organizer:AdminToken", "");
            builder.UseSetting("Organizer:Database:DataDirectory", directory);
            if (useDatabaseEarly)
            {
                builder.ConfigureServices(services =>
                {
                    services.AddSingleton<EarlyDatabaseUser>();
                    services.AddHostedService(sp => sp.GetRequiredService<EarlyDatabaseUser>());
                });
            }
        }
    }

    /// <summary>
    /// The host builds every hosted service before it starts the first one, so this constructor runs before startup
    /// has migrated anything: the moment at which a DbContext used to have no connection string yet.
    /// </summary>
    private sealed class EarlyDatabaseUser : IHostedService
    {
        public EarlyDatabaseUser(IServiceScopeFactory scopes)
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<OrganizerDbContext>();
            CouldConnect = db.Database.CanConnect();
            MigrationsWerePending = db.Database.GetPendingMigrations().Any();
        }

        public bool CouldConnect { get; }

        public bool MigrationsWerePending { get; }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
