using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Organizer.Infrastructure.Persistence;
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

    [Fact]
    public async Task KilledMidTraffic_NoRequestAnswers500_AndEveryWriteAnswered201IsThereAfterwards()
    {
        var answered = new ConcurrentQueue<(string Request, HttpStatusCode Status)>();
        var created = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();

        async Task WriteAsync(int writer)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", EventBody($"Mid-traffic rally {writer}-{i}"), ApiFactory.AdminToken);
                answered.Enqueue(("POST /api/events", response.StatusCode));
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    created.Enqueue((string)(await response.ExpectAsync(HttpStatusCode.Created))["slug"]!);
                }
            }
        }

        async Task ReadAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.GetAsync("/api/events?limit=5", TestContext.Current.CancellationToken);
                answered.Enqueue(("GET /api/events", response.StatusCode));
            }
        }

        List<Task> traffic = [.. Enumerable.Range(0, 3).Select(WriteAsync), ReadAsync()];
        var warming = Stopwatch.StartNew();
        while (created.Count < 6)
        {
            Assert.True(warming.Elapsed < TimeSpan.FromSeconds(30), "No write was answered 201 before the stop.");
            await Task.Delay(TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken);
        }

        await factory.Cluster.StopServerAsync("immediate");
        await Task.Delay(TimeSpan.FromMilliseconds(600), TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(traffic);
        await factory.Cluster.StartAgainAsync(TestContext.Current.CancellationToken);

        var unexpected = answered.Where(a => a.Status is not (HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable)).ToList();
        Assert.True(unexpected.Count == 0, string.Join(", ", unexpected.Select(a => $"{a.Request} {(int)a.Status}")));
        Assert.Contains(answered, a => a.Status == HttpStatusCode.ServiceUnavailable);
        foreach (var slug in created)
        {
            await (await client.GetAsync($"/api/events/{slug}", TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task AFeedAWriteDroppedJustBeforeTheOutage_IsServedStale_NotA503_AndFreshOnceTheDatabaseIsBack()
    {
        var feed = $"/feeds/organizations/{Host}.ics";
        using (var first = await client.GetAsync(feed, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // The write drops the kept copy; the database goes away before anyone asks for the feed again.
        var title = "Rally just before the outage " + Guid.NewGuid().ToString("N")[..8];
        await CreateAsync(title);
        await factory.Cluster.StopServerAsync("fast");
        try
        {
            using var stale = await client.GetAsync(feed, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
            var text = await stale.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Contains("BEGIN:VCALENDAR", text);
            Assert.DoesNotContain(title, text.Replace("\r\n ", "", StringComparison.Ordinal));

            // A feed never rendered has no copy to fall back on.
            await AssertUnavailableAsync(() => client.GetAsync("/feeds/kinds/blockade.ics", TestContext.Current.CancellationToken));
        }
        finally
        {
            await factory.Cluster.StartAgainAsync(TestContext.Current.CancellationToken);
        }

        using var fresh = await client.GetAsync(feed, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Contains(title, (await fresh.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Replace("\r\n ", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARestartBetweenRequests_CostsReadersNothing()
    {
        // Several pooled connections, every one of which the restart breaks.
        var warm = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.GetAsync("/api/events?limit=5", TestContext.Current.CancellationToken)));
        Assert.All(warm, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));

        await factory.Cluster.StopServerAsync("fast");
        await factory.Cluster.StartAgainAsync(TestContext.Current.CancellationToken);

        foreach (var read in new[] { "/api/events?limit=5", "/api/organizations", "/api/search?q=rally", "/api/events?kind=rally" })
        {
            await (await client.GetAsync(read, TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task AServerThatNeverAnswers_Is503WithinTwoSeconds_NotAHang()
    {
        // A listener that never accepts: the kernel completes the TCP handshake, and the startup message waits for an
        // answer that never comes, as with a server whose host froze.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = ((IPEndPoint)silent.LocalEndpoint).Port,
            Username = "postgres",
            Password = "not-a-real-password",
            Database = "organizer",
        }.ConnectionString;
        await using var app = new SilentServerFactory(connectionString);
        using var silentClient = app.CreateClient();

        await AssertUnavailableAsync(() => silentClient.GetAsync("/api/events?limit=5", TestContext.Current.CancellationToken), connectionString);
        await AssertUnavailableAsync(() => silentClient.SendJsonAsync(HttpMethod.Post, "/api/events", EventBody("Rally on a frozen host"), ApiFactory.AdminToken), connectionString);

        var ready = Stopwatch.StartNew();
        using var response = await silentClient.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(ready.Elapsed < Bound, $"/health/ready took {ready.Elapsed}");
    }

    private Task AssertUnavailableAsync(Func<Task<HttpResponseMessage>> send) => AssertUnavailableAsync(send, factory.Cluster.ConnectionString);

    private static async Task AssertUnavailableAsync(Func<Task<HttpResponseMessage>> send, string connectionString)
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
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
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

    /// <summary>The app pointed at a server that never answers; it starts without touching it.</summary>
    private sealed class SilentServerFactory(string connectionString) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:Organizer", connectionString);
            builder.UseSetting("Organizer:AdminToken", ApiFactory.AdminToken);
            builder.UseSetting("Organizer:Database:MigrateOnStartup", "false");
            builder.UseSetting("Organizer:Database:SeedOnStartup", "false");
        }
    }

    /// <summary>The app on a PostgreSQL cluster of its own, which the tests stop and start again under it.</summary>
    public sealed class OutageFactory : ApiFactory
    {
        public LocalPostgresCluster Cluster { get; private set; } = null!;

        public ConcurrentQueue<string> Logged { get; } = new();

        protected override async Task<string> CreateDatabaseAsync()
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

            return new NpgsqlConnectionStringBuilder(Cluster.ConnectionString) { Database = "organizer" }.ConnectionString;
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Cluster.StopAsync();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(new WarningLog(Logged)));
        }
    }
}

/// <summary>
/// The server states an outage test can't stage on demand (a crash, a server still starting, a full connection table)
/// count as unavailable, however EF wraps them; a request's own database error stays what it was (a 409, or a 500 to fix).
/// </summary>
public sealed class DatabaseFailureClassificationTests
{
    [Theory]
    [InlineData("57P01", true)] // terminated by an administrator: pg_ctl stop -m fast
    [InlineData("57P02", true)] // terminated after another backend crashed
    [InlineData("57P03", true)] // starting up or shutting down
    [InlineData("53300", true)] // too many connections
    [InlineData("08006", true)] // connection failure
    [InlineData("23505", false)] // a unique value taken: the request's conflict
    [InlineData("40001", false)] // a serialization failure: transient, but no outage
    [InlineData("42P01", false)] // an undefined table: a bug, which must stay a 500
    public void ServerErrors(string sqlState, bool unavailable)
    {
        var error = new PostgresException("message", "FATAL", "FATAL", sqlState);

        Assert.Equal(unavailable, DatabaseFailures.IsUnavailable(error));
        Assert.Equal(unavailable, DatabaseFailures.IsUnavailable(new Microsoft.EntityFrameworkCore.DbUpdateException("saving failed", error)));
    }

    [Fact]
    public void ARefusedConnection_WrappedByEfsExecutionStrategy_IsUnavailable() =>
        Assert.True(DatabaseFailures.IsUnavailable(new InvalidOperationException("likely a transient failure",
            new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)))));

    [Fact]
    public void ACallerThatGaveUp_IsNotAnOutage() =>
        Assert.False(DatabaseFailures.IsUnavailable(new OperationCanceledException("cancelled", new NpgsqlException("reading", new TimeoutException()))));
}
