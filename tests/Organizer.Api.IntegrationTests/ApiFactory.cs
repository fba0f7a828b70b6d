using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Organizer.Infrastructure.Persistence;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// The real app over HTTP, on its own fresh database: startup migrates and seeds it exactly as in production.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminToken = "test-admin-token-0123456789";

    private string? connectionString;
    private string? pooled;

    public async ValueTask InitializeAsync()
    {
        connectionString = await CreateDatabaseAsync();

        // Starting the server runs the app's startup: migrations, then seeding.
        StartServer();

        // As the app opens it, with its own settings added; read now, since a test may stop the app before it ends.
        await using var scope = CreateScope(out var db);
        pooled = db.Database.GetConnectionString();
    }

    public override async ValueTask DisposeAsync()
    {
        // Npgsql's pools belong to the process, one per connection string, and keep idle connections for minutes. Each
        // test class has a database of its own, so without this every class's pool stayed open to the end of the run,
        // and together they reached the cluster's connection limit ("53300: too many clients").
        await base.DisposeAsync();
        if (pooled is not null)
        {
            NpgsqlConnection.ClearPool(new NpgsqlConnection(pooled));
        }

        GC.SuppressFinalize(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Organizer", connectionString);
        builder.UseSetting("Organizer:AdminToken", AdminToken);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>The empty database the app migrates and seeds: by default one of the shared test cluster's.</summary>
    protected virtual Task<string> CreateDatabaseAsync() => TestDatabase.CreateDatabaseAsync();

    /// <summary>Settings a test class needs on top of the defaults (which leave rate limits out of the way).</summary>
    protected virtual IEnumerable<(string Key, string Value)> Settings =>
    [
        ("Organizer:RateLimits:WritesPerMinute", "100000"),
        ("Organizer:RateLimits:AnonymousWritesPerMinute", "100000"),
    ];

    /// <summary>A DbContext on this factory's database, for arranging data the API cannot create yet.</summary>
    public AsyncServiceScope CreateScope(out OrganizerDbContext db)
    {
        var scope = Services.CreateAsyncScope();
        db = scope.ServiceProvider.GetRequiredService<OrganizerDbContext>();
        return scope;
    }
}
