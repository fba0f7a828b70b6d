using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Npgsql;

namespace Organizer.Api.IntegrationTests.Topology;

/// <summary>
/// Two instances behind one PostgreSQL primary, its streaming replica and Redis (<see cref="Topology"/>): what one
/// instance writes, the other serves on its very next request; they share one rate limit; anonymous reads come from
/// the replica; and with Redis or PostgreSQL stopped, they answer what they honestly can, and recover.
/// </summary>
[Collection(nameof(TopologyTests))]
[CollectionDefinition(nameof(TopologyTests), DisableParallelization = true)]
public sealed class TopologyTests(Topology topology) : IClassFixture<Topology>
{
    private const string Host = "communist-party-of-canada";
    private const string OrganizationFeed = $"/feeds/organizations/{Host}.ics";

    private readonly HttpClient a = topology.A.CreateClient();
    private readonly HttpClient b = topology.B.CreateClient();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AWriteThroughA_IsInBsFeedOnTheVeryNextRequest_WithTheSameETagFromBoth()
    {
        // Both keep the feed as it is now.
        var before = await GetAsync(b, OrganizationFeed);
        using var hit = await GetAsync(b, OrganizationFeed);
        Assert.True(hit.Headers.Age is not null, $"B did not keep the feed: {hit.Headers}");
        await GetAsync(a, OrganizationFeed);

        var title = "Picket written through A " + Guid.NewGuid().ToString("N")[..8];
        await CreateAsync(a, title);

        using var fromB = await GetAsync(b, OrganizationFeed);
        Assert.True(fromB.Headers.Age is null, "B served its kept copy after A's write.");
        Assert.Contains(title, Unfolded(await fromB.Content.ReadAsStringAsync(Cancellation)));
        Assert.NotEqual(before.Headers.ETag, fromB.Headers.ETag);

        using var fromA = await GetAsync(a, OrganizationFeed);
        Assert.Equal(fromB.Headers.ETag, fromA.Headers.ETag);
        Assert.Equal(await fromB.Content.ReadAsByteArrayAsync(Cancellation), await fromA.Content.ReadAsByteArrayAsync(Cancellation));

        // And B keeps the new one: the next request is a hit again.
        using var again = await GetAsync(b, OrganizationFeed);
        Assert.NotNull(again.Headers.Age);
        Assert.Equal(fromB.Headers.ETag, again.Headers.ETag);
    }

    [Fact]
    public async Task TheRateLimit_IsOneBudget_ForRequestsSpreadOverBothInstances()
    {
        var limit = int.Parse(Topology.AnonymousWritesPerMinute);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < limit + 2; i++)
        {
            // Anonymous submissions, alternating between the instances: one budget for the address, not one each.
            var client = i % 2 == 0 ? a : b;
            using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody("Anonymous submission " + i), contentType: "application/json");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.True(statuses.Count(s => s == HttpStatusCode.TooManyRequests) == 2,
            $"Expected {limit} accepted and 2 refused over both instances, got: {string.Join(", ", statuses.Select(s => (int)s))}");
    }

    [Fact]
    public async Task AnonymousReads_ComeFromTheReplica_AndSeeWhatWasWrittenThroughThePrimary()
    {
        var title = "Replicated vigil " + Guid.NewGuid().ToString("N")[..8];
        var slug = await CreateAsync(a, title);
        var search = $"/api/events?from=2026-12-01&to=2026-12-31&limit=200";

        await EventuallyAsync(async () =>
        {
            using var list = await b.GetAsync(search, Cancellation);
            return list.IsSuccessStatusCode && (await list.Content.ReadAsStringAsync(Cancellation)).Contains(slug);
        }, "the replica to replay the write");

        // With the primary stopped, only the replica can have answered; with the replica stopped, the same reads go to
        // the primary.
        foreach (var (server, client) in new[] { (topology.Primary, b), (topology.Replica, a) })
        {
            await server.StopServerAsync("fast");
            try
            {
                using var list = await client.GetAsync(search, Cancellation);
                Assert.Equal(HttpStatusCode.OK, list.StatusCode);
                Assert.Contains(slug, await list.Content.ReadAsStringAsync(Cancellation));
            }
            finally
            {
                await server.StartAgainAsync(Cancellation);

                // The instances' idle pooled connections to the restarted server are dead, and the first command on
                // each would fail (a write is not retried: 503). Later tests begin with a write, so start them afresh.
                NpgsqlConnection.ClearAllPools();
            }
        }
    }

    [Fact]
    public async Task WithRedisStopped_BothInstancesKeepServingFeedsAndTakingWrites_AndShareAgainOnceItIsBack()
    {
        await GetAsync(a, OrganizationFeed);
        await GetAsync(b, OrganizationFeed);
        topology.Redis.Stop();
        try
        {
            foreach (var client in new[] { a, b, a, b })
            {
                using var feed = await GetAsync(client, OrganizationFeed);
            }

            var title = "Written while Redis was down " + Guid.NewGuid().ToString("N")[..8];
            await CreateAsync(a, title);
            await CreateAsync(b, title + " (B)");

            // Without Redis nothing is served from a kept copy, so each instance shows the other's write at once.
            using var fromB = await GetAsync(b, OrganizationFeed);
            using var fromA = await GetAsync(a, OrganizationFeed);
            Assert.Contains(title, Unfolded(await fromB.Content.ReadAsStringAsync(Cancellation)));
            Assert.Contains(title + " (B)", Unfolded(await fromA.Content.ReadAsStringAsync(Cancellation)));
        }
        finally
        {
            await topology.Redis.StartAsync();
        }

        // Once both instances have reconnected, feeds are kept again, and a write through one still reaches the other.
        // (Until then, a write through an instance that is still reconnecting reaches the others when it is back: its
        // lost evictions start a new epoch then.)
        foreach (var (client, name) in new[] { (a, "A"), (b, "B") })
        {
            await EventuallyAsync(async () =>
            {
                await GetAsync(client, OrganizationFeed);
                using var kept = await GetAsync(client, OrganizationFeed);
                return kept.Headers.Age is not null;
            }, name + " to keep feeds again after Redis came back");
        }

        var later = "Written after Redis came back " + Guid.NewGuid().ToString("N")[..8];
        await CreateAsync(a, later);
        using var after = await GetAsync(b, OrganizationFeed);
        Assert.Contains(later, Unfolded(await after.Content.ReadAsStringAsync(Cancellation)));
    }

    [Fact]
    public async Task WithPostgreSqlStopped_TheApiAnswers503WithRetryAfterWithinTwoSeconds_KeptFeedsAreServed_AndNothingIsLost()
    {
        var created = new List<string> { await CreateAsync(a, "Before the outage " + Guid.NewGuid().ToString("N")[..8]) };
        using (await GetAsync(b, OrganizationFeed))
        {
        }

        topology.A.Logged.Clear();
        topology.B.Logged.Clear();
        await topology.Primary.StopServerAsync("fast");
        await topology.Replica.StopServerAsync("fast");
        try
        {
            foreach (var (client, method, url) in new[]
            {
                (a, HttpMethod.Get, "/api/events?from=2026-12-01&to=2026-12-31"),
                (b, HttpMethod.Get, $"/api/organizations/{Host}"),
                (a, HttpMethod.Post, "/api/events"),
            })
            {
                var clock = Stopwatch.StartNew();
                using var response = await client.SendJsonAsync(method, url, method == HttpMethod.Post ? WriteClient.EventBody("During the outage") : null,
                    method == HttpMethod.Post ? ApiFactory.AdminToken : null);
                clock.Stop();
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{method} {url} took {clock.Elapsed.TotalMilliseconds:F0} ms to answer 503.");
            }

            using var kept = await b.GetAsync(OrganizationFeed, Cancellation);
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
            Assert.Contains("BEGIN:VCALENDAR", await kept.Content.ReadAsStringAsync(Cancellation));

            using var ready = await a.GetAsync("/health/ready", Cancellation);
            using var live = await a.GetAsync("/health/live", Cancellation);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        finally
        {
            await topology.Primary.StartAgainAsync(Cancellation);
            await topology.Replica.StartAgainAsync(Cancellation);
        }

        // Recovery without a restart: reads, a write, and every event the API answered 201 for is there.
        await EventuallyAsync(async () => (await a.GetAsync("/health/ready", Cancellation)).StatusCode == HttpStatusCode.OK, "A to be ready again");
        // Reads through the replica recover too, once Npgsql looks at the hosts it saw down again (two seconds).
        await EventuallyAsync(async () => (await b.GetAsync("/api/events?from=2026-12-01&to=2026-12-31", Cancellation)).StatusCode == HttpStatusCode.OK, "B's reads to recover");
        created.Add(await CreateAsync(b, "After the outage " + Guid.NewGuid().ToString("N")[..8]));
        foreach (var slug in created)
        {
            using var stored = await a.GetAsync($"/api/events/{slug}", Cancellation);
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        }

        // What an operator reads: no errors, and at most one warning per server (the primary, the replica's list)
        // per instance, however many requests and readiness probes failed meanwhile.
        foreach (var instance in new[] { topology.A, topology.B })
        {
            var logged = instance.Logged.ToList();
            Assert.True(logged.All(line => line.StartsWith("Warning: The database is unavailable", StringComparison.Ordinal)) && logged.Count <= 2,
                "Logged during the outage:\n" + string.Join("\n", logged));
        }
    }

    private static async Task<string> CreateAsync(HttpClient client, string title)
    {
        var body = WriteClient.EventBody(title);
        body["host"] = Host;
        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, ApiFactory.AdminToken);
        var created = await response.ExpectAsync(HttpStatusCode.Created);
        return (string)created["slug"]!;
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Cancellation)}");
        return response;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"Waited 30 s for {what}.");
            await Task.Delay(100, Cancellation);
        }
    }

    private static string Unfolded(string ics) => ics.Replace("\r\n ", "", StringComparison.Ordinal);
}
