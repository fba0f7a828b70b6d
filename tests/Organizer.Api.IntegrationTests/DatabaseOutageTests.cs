using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Organizer.Infrastructure.Postgres;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// PostgreSQL goes away under a running app: every API route says so honestly (503, Retry-After, no internals) within
/// two seconds instead of a 500 or a hang, and everything works again once it is back, without restarting the app and
/// without losing a write that was answered 201. The class stops and starts its own cluster, so no other class notices.
/// </summary>
public sealed class DatabaseOutageTests(DatabaseOutageTests.OutageFactory factory) : IClassFixture<DatabaseOutageTests.OutageFactory>
{
    private const string Host = "communist-party-of-canada";

    // The requirement is a bound a client can count on, not a performance figure; a slow machine is far inside it.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    private readonly HttpClient client = factory.CreateClient();

    [Theory]
    [InlineData("fast")]
    [InlineData("immediate")]
    public async Task WhilePostgresIsStopped_RoutesAnswer503WithRetryAfter_AndAllRecoversWhenItIsBack(string mode)
    {
        // Warm up: pooled connections that the stop will break, and a write answered 201 before the outage.
        await (await client.GetAsync("/api/events?limit=5", TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.OK);
        using (var feed = await client.GetAsync("/feeds/all.ics", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        }

        var before = await CreateAsync($"Rally before the {mode} outage");
        var organizationToken = await client.TokenForAsync(Host);

        await factory.Cluster.StopServerAsync(mode);
        factory.Logged.Clear();
        try
        {
            await AssertUnavailableAsync(() => client.GetAsync("/api/events?kind=rally", TestContext.Current.CancellationToken));
            await AssertUnavailableAsync(() => client.GetAsync($"/api/events/{before}", TestContext.Current.CancellationToken));
            await AssertUnavailableAsync(() => client.GetAsync("/api/search?q=rally", TestContext.Current.CancellationToken));
            await AssertUnavailableAsync(() => client.GetAsync($"/feeds/events.ics?kind=vigil&q={mode}", TestContext.Current.CancellationToken));
            await AssertUnavailableAsync(() => client.SendJsonAsync(HttpMethod.Post, "/api/events", EventBody($"Rally during the {mode} outage"), ApiFactory.AdminToken));
            await AssertUnavailableAsync(() => client.SendJsonAsync(
                HttpMethod.Post, "/api/events", EventBody($"Keyed rally during the {mode} outage"), ApiFactory.AdminToken, idempotencyKey: $"outage-{mode}"));

            // An organization's token is looked up in the database before the route runs.
            await AssertUnavailableAsync(() => client.SendJsonAsync(HttpMethod.Get, "/api/events?limit=5", null, organizationToken));
            await AssertUnavailableAsync(() => client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody($"Org rally during the {mode} outage"), organizationToken));

            // An operator reads of the outage once, as a warning, not as an error with a stack for every request. (The
            // readiness check's own failure is the health check service's error line, which a probe repeats by design.)
            var logged = string.Join(Environment.NewLine, factory.Logged);
            Assert.True(factory.Logged.Count(line => line.StartsWith("Warning: The database is unavailable", StringComparison.Ordinal)) == 1, logged);
            Assert.False(factory.Logged.Any(line => line.StartsWith("Error", StringComparison.Ordinal) || line.StartsWith("Critical", StringComparison.Ordinal)), logged);

            var ready = Stopwatch.StartNew();
            using (var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.True(ready.Elapsed < Bound, $"/health/ready took {ready.Elapsed}");
            }

            using (var response = await client.GetAsync("/health/live", TestContext.Current.CancellationToken))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        finally
        {
            await factory.Cluster.StartAgainAsync(TestContext.Current.CancellationToken);
        }

        // Back without restarting the app: reads, a write, and the write answered 201 before the outage is still there.
        await (await client.GetAsync("/api/events?limit=5", TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.OK);
        var after = await CreateAsync($"Rally after the {mode} outage");
        await (await client.GetAsync($"/api/events/{before}", TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.OK);
        await (await client.GetAsync($"/api/events/{after}", TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.OK);
        await (await client.SendJsonAsync(HttpMethod.Get, "/api/events?limit=5", null, organizationToken)).ExpectAsync(HttpStatusCode.OK);
        using (var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The key a refused write carried was not spent: its retry runs now.
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", EventBody($"Keyed rally during the {mode} outage"), ApiFactory.AdminToken,
            idempotencyKey: $"outage-{mode}")).ExpectAsync(HttpStatusCode.Created);
    }

    private async Task AssertUnavailableAsync(Func<Task<HttpResponseMessage>> send)
    {
        var clock = Stopwatch.StartNew();
        using var response = await send();
        var elapsed = clock.Elapsed;
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var request = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}";

        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{request} answered {(int)response.StatusCode}: {text}");
        Assert.True(elapsed < Bound, $"{request} took {elapsed}");
        Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, $"{request} has no Retry-After");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        var problem = JsonNode.Parse(text)!;
        Assert.Equal(503, (int)problem["status"]!);
        Assert.Contains("database", (string)problem["title"]!, StringComparison.OrdinalIgnoreCase);

        // Nothing about where the database is or how the app reaches it.
        var connection = new NpgsqlConnectionStringBuilder(factory.Cluster.ConnectionString);
        foreach (var secret in new[] { "127.0.0.1", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), connection.Password!, "Npgsql", "Host=", "Exception" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private async Task<string> CreateAsync(string title)
    {
        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", EventBody(title), ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.Created);
        return (string)created["slug"]!;
    }

    private static JsonObject EventBody(string title)
    {
        var body = WriteClient.EventBody(title);
        body["host"] = Host;
        return body;
    }

    /// <summary>The app on a PostgreSQL cluster of its own, which the tests stop and start again under it.</summary>
    public sealed class OutageFactory : WebApplicationFactory<Program>, IAsyncLifetime
    {
        private string? connectionString;

        public LocalPostgresCluster Cluster { get; private set; } = null!;

        public ConcurrentQueue<string> Logged { get; } = new();

        public async ValueTask InitializeAsync()
        {
            var root = Path.Combine(Path.GetTempPath(), TestDatabase.Prefix + "outage-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(root);
            LocalPostgresCluster.MarkOwned(root);
            Cluster = await LocalPostgresCluster.StartAsync(new LocalPostgresOptions(root, Throwaway: true), NullLogger.Instance);

            await using (var connection = new NpgsqlConnection(Cluster.ConnectionString))
            {
                await connection.OpenAsync();

                // A throwaway cluster commits asynchronously, so an immediate stop could lose a commit that was already
                // answered; these tests hold the app to "every 201 is in the database", so this database waits for its WAL.
                await using var create = new NpgsqlCommand("CREATE DATABASE organizer", connection);
                await create.ExecuteNonQueryAsync();
                await using var durable = new NpgsqlCommand("ALTER DATABASE organizer SET synchronous_commit = on", connection);
                await durable.ExecuteNonQueryAsync();
            }

            connectionString = new NpgsqlConnectionStringBuilder(Cluster.ConnectionString) { Database = "organizer" }.ConnectionString;
            StartServer();
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Cluster.StopAsync();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:Organizer", connectionString);
            builder.UseSetting("Organizer:AdminToken", ApiFactory.AdminToken);
            builder.UseSetting("Organizer:RateLimits:WritesPerMinute", "100000");
            builder.UseSetting("Organizer:RateLimits:AnonymousWritesPerMinute", "100000");
            builder.ConfigureLogging(logging => logging.AddProvider(new Collecting(Logged)));
        }

        private sealed class Collecting(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
        {
            public ILogger CreateLogger(string categoryName) => this;

            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
                }
            }

            public void Dispose()
            {
            }
        }
    }
}
