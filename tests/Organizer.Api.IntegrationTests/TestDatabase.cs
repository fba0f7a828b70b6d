using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Organizer.Api.IntegrationTests;
using Organizer.Infrastructure.Postgres;

[assembly: AssemblyFixture(typeof(TestDatabase))]

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// One throwaway PostgreSQL cluster for the whole test run, started by the app's own launcher with durability off.
/// Each test class gets its own database in it, so classes that write don't disturb the others.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    internal const string Prefix = "organizer-test-pg-";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static LocalPostgresCluster? cluster;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.StopAsync();
            cluster = null;
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var server = await ClusterAsync();
        var name = "organizer_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        // The app's default connect timeout is a second, to answer 503 quickly in an outage (DatabaseOutageTests keep
        // it, on clusters of their own). Here two cores run the whole suite against one cluster, and a class's app
        // once took longer than that to open its first connection, failing every test of the class.
        return new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name, Timeout = 10 }.ConnectionString;
    }

    private static async Task<LocalPostgresCluster> ClusterAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (cluster is null)
            {
                var parent = Path.GetTempPath();
                await LocalPostgresCluster.SweepStaleAsync(parent, Prefix, NullLogger.Instance);
                var root = Path.Combine(parent, Prefix + Guid.NewGuid().ToString("N")[..12]);
                Directory.CreateDirectory(root);
                LocalPostgresCluster.MarkOwned(root);
                cluster = await LocalPostgresCluster.StartAsync(new LocalPostgresOptions(root, Throwaway: true), NullLogger.Instance);
            }

            return cluster;
        }
        finally
        {
            Gate.Release();
        }
    }
}
