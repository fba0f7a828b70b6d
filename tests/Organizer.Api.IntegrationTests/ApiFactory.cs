using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Organizer.Infrastructure.Persistence;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// The real app over HTTP, on its own fresh database: startup migrates and seeds it exactly as in production.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private string? connectionString;

    public async ValueTask InitializeAsync()
    {
        connectionString = await TestDatabase.CreateDatabaseAsync();

        // Starting the server runs the app's startup: migrations, then seeding.
        _ = Server;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Organizer", connectionString);
    }

    /// <summary>A DbContext on this factory's database, for arranging data the API cannot create yet.</summary>
    public AsyncServiceScope CreateScope(out OrganizerDbContext db)
    {
        var scope = Services.CreateAsyncScope();
        db = scope.ServiceProvider.GetRequiredService<OrganizerDbContext>();
        return scope;
    }
}
