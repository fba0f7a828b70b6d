using System.Data.Common;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Organizer.Api.Http;
using Organizer.Domain.Access;

namespace Organizer.Api.IntegrationTests;

/// <summary>A clock the tests move forward, so that a day's retention passes without a day's wait.</summary>
public sealed class ShiftableClock : TimeProvider
{
    private TimeSpan offset;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;

    public void Advance(TimeSpan by) => offset += by;
}

/// <summary>Anonymous submissions on (so anonymous writes are stored and replayed), a short retention and a movable clock.</summary>
public sealed class ReplaySafetyApiFactory : ApiFactory
{
    public ShiftableClock Clock { get; } = new();

    protected override IEnumerable<(string Key, string Value)> Settings =>
        base.Settings.Append(("Organizer:Moderation:AllowAnonymousSubmissions", "true")).Append(("Organizer:Idempotency:RetentionHours", "2"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>Replayed answers never carry a secret, never cross callers, and never outlive their retention.</summary>
public sealed class ReplaySafetyTests(ReplaySafetyApiFactory factory) : IClassFixture<ReplaySafetyApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task IssuedTokenAndFeedSecret_SentWithIdempotencyKeys_AreStoredInNoTable()
    {
        var issued = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/cupe/tokens", new { label = "scan" }, ApiFactory.AdminToken, idempotencyKey: "issue-scan"))
            .ExpectAsync(HttpStatusCode.Created);
        var rotated = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/cupe/feed-secret", null, ApiFactory.AdminToken, idempotencyKey: "rotate-scan"))
            .ExpectAsync(HttpStatusCode.OK);
        var token = (string)issued["token"]!;
        var feedSecret = ((string)rotated["url"]!).Split('/')[^1].Replace(".ics", "", StringComparison.Ordinal);

        // The token's random part and the feed secret are what an attacker with a database dump must not get.
        var tokenSecret = token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..];
        Assert.Empty(await TablesContainingAsync(tokenSecret));
        Assert.Empty(await TablesContainingAsync(feedSecret));
    }

    [Fact]
    public async Task ARetriedTokenIssue_Is409WithoutTheSecret_AndIssuesNoSecondToken()
    {
        using var first = await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/cupe/tokens", new { label = "retried" }, ApiFactory.AdminToken, idempotencyKey: "issue-retry");
        var token = (string)(await first.ExpectAsync(HttpStatusCode.Created))["token"]!;

        using var retry = await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/cupe/tokens", new { label = "retried" }, ApiFactory.AdminToken, idempotencyKey: "issue-retry");
        var body = await retry.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.Equal("application/problem+json", retry.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..], body, StringComparison.Ordinal);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);

        await using var scope = factory.CreateScope(out var db);
        Assert.Equal(1, await db.ApiTokens.CountAsync(t => t.Label == "retried", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ARetriedFeedSecretRotation_Is409WithoutTheSecret_AndTheIssuedUrlStillWorks()
    {
        var first = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/communist-party-of-canada/feed-secret", null, ApiFactory.AdminToken, idempotencyKey: "rotate-retry"))
            .ExpectAsync(HttpStatusCode.OK);
        var url = (string)first["url"]!;

        using var retry = await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/communist-party-of-canada/feed-secret", null, ApiFactory.AdminToken, idempotencyKey: "rotate-retry");
        var body = await retry.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.DoesNotContain(url.Split('/')[^1], body, StringComparison.Ordinal);

        // The retry rotated nothing: the URL from the first answer is still the live one.
        using var feed = await client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
    }

    [Fact]
    public async Task UnknownRoutesAndSearch_WithUniqueKeys_StoreNoRecords_AndKeepTheFeedCache()
    {
        await PrimeAsync("/feeds/organizations/cupe.ics");
        var before = await RecordCountAsync();

        for (var i = 0; i < 40; i++)
        {
            foreach (var (method, url) in new[] { (HttpMethod.Post, $"/api/no-such-route-{i}"), (HttpMethod.Get, $"/api/no-such-route-{i}"), (HttpMethod.Post, "/api/search?q=bolivia"), (HttpMethod.Get, "/api/search?q=bolivia") })
            {
                using var response = await client.SendJsonAsync(method, url, method == HttpMethod.Post ? new { q = "bolivia" } : null, idempotencyKey: $"spray-{i}-{method}-{url}");
                Assert.True((int)response.StatusCode < 500, $"{method} {url} answered {(int)response.StatusCode}");
            }
        }

        Assert.Equal(before, await RecordCountAsync());
        using var feed = await client.GetAsync("/feeds/organizations/cupe.ics", TestContext.Current.CancellationToken);
        Assert.True(feed.Headers.Age is not null, "The feed was rendered again: something evicted the feed cache.");
    }

    [Fact]
    public async Task AnAnonymousKey_IsNeverReplayedToAnInvalidToken_NorTheReverse()
    {
        var body = WriteClient.EventBody("Keyed anonymous picket", "2026-12-22T09:00:00", "2026-12-22T10:00:00");
        body["organizations"] = new JsonArray();

        using var anonymous = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, idempotencyKey: "shared-key");
        await anonymous.ExpectAsync(HttpStatusCode.Created);
        using var invalid = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, "not-a-token", idempotencyKey: "shared-key");
        await invalid.ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.False(invalid.Headers.Contains("Idempotent-Replayed"));

        var other = WriteClient.EventBody("Anonymous picket after a bad token", "2026-12-23T09:00:00", "2026-12-23T10:00:00");
        other["organizations"] = new JsonArray();
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", other, "not-a-token", idempotencyKey: "bad-token-first")).ExpectAsync(HttpStatusCode.Unauthorized);
        using var after = await client.SendJsonAsync(HttpMethod.Post, "/api/events", other, idempotencyKey: "bad-token-first");
        await after.ExpectAsync(HttpStatusCode.Created);
        Assert.False(after.Headers.Contains("Idempotent-Replayed"));

        // The anonymous client's own retry is still a replay.
        using var retry = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, idempotencyKey: "shared-key");
        await retry.ExpectAsync(HttpStatusCode.Created);
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(anonymous.Headers.Location, retry.Headers.Location);
    }

    [Fact]
    public async Task ExpiredRecords_AreNotReplayed_AndTheCleanupDeletesThem()
    {
        var token = await client.TokenForAsync("cupe");
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/places", new { name = "Expiring hall", city = "Ottawa", countryCode = "CA" }, token, idempotencyKey: "expiring"))
            .ExpectAsync(HttpStatusCode.Created);
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/places", new { name = "Kept hall", city = "Ottawa", countryCode = "CA" }, token, idempotencyKey: "kept"))
            .ExpectAsync(HttpStatusCode.Created);

        // Past the configured two hours, a different request under the old key runs instead of being a 422.
        factory.Clock.Advance(TimeSpan.FromHours(3));
        using var reused = await client.SendJsonAsync(HttpMethod.Post, "/api/places", new { name = "Later hall", city = "Ottawa", countryCode = "CA" }, token, idempotencyKey: "kept");
        await reused.ExpectAsync(HttpStatusCode.Created);
        Assert.False(reused.Headers.Contains("Idempotent-Replayed"));

        var deleted = await factory.Services.GetRequiredService<IdempotencyCleanup>().DeleteExpiredAsync(TestContext.Current.CancellationToken);

        Assert.True(deleted >= 1);
        await using var scope = factory.CreateScope(out var db);
        Assert.False(await db.IdempotencyRecords.AnyAsync(r => r.Key == "expiring", TestContext.Current.CancellationToken));
        Assert.True(await db.IdempotencyRecords.AnyAsync(r => r.Key == "kept", TestContext.Current.CancellationToken));
    }

    private async Task PrimeAsync(string url)
    {
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (i == 1)
            {
                Assert.True(response.Headers.Age is not null, $"{url} was not served from the output cache.");
            }
        }
    }

    private async Task<int> RecordCountAsync()
    {
        await using var scope = factory.CreateScope(out var db);
        return await db.IdempotencyRecords.CountAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Every table whose rows, cast to text, hold the secret as text or as the hex of its bytes (bytea columns).</summary>
    private async Task<List<string>> TablesContainingAsync(string secret)
    {
        await using var scope = factory.CreateScope(out var db);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = """
                SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
                WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
                """;
            await using var reader = await list.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains(tables, t => t.EndsWith("idempotency_records", StringComparison.Ordinal));
        var hex = Convert.ToHexStringLower(Encoding.UTF8.GetBytes(secret));
        var found = new List<string>();
        foreach (var table in tables)
        {
            await using var scan = connection.CreateCommand();
            scan.CommandText = $"SELECT count(*) FROM {table} t WHERE strpos(t::text, @text) > 0 OR strpos(t::text, @hex) > 0";
            AddParameter(scan, "text", secret);
            AddParameter(scan, "hex", hex);
            if (Convert.ToInt64(await scan.ExecuteScalarAsync(TestContext.Current.CancellationToken)) > 0)
            {
                found.Add(table);
            }
        }

        return found;
    }

    private static void AddParameter(DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>An upgraded database keeps no secret that older versions stored in replay records.</summary>
public sealed class StoredSecretsMigrationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Upgrading_DeletesKeptAnswersThatHoldASecret_AndKeepsTheOthers()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var scope = factory.CreateScope(out var db);
        var migrations = db.Database.GetMigrations().ToList();
        var cleanup = migrations.FindIndex(m => m.EndsWith("_RemoveSecretsFromIdempotencyRecords", StringComparison.Ordinal));
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(migrations[cleanup - 1], cancellationToken);

        // What the old code kept for a token issue, a feed-secret rotation and an event.
        db.IdempotencyRecords.AddRange(
            Kept("old-token", """{"id":"0f9e8d7c-0000-0000-0000-000000000000","token":"0f9e8d7c000000000000000000000000.old-secret","organization":"cupe"}"""),
            Kept("old-feed", """{"url":"http://localhost/feeds/private/old-feed-secret.ics","webcal":"webcal://localhost/feeds/private/old-feed-secret.ics"}"""),
            Kept("old-event", """{"slug":"2026-12-01-rally","title":"Rally"}"""));
        await db.SaveChangesAsync(cancellationToken);

        await migrator.MigrateAsync(null, cancellationToken);

        db.ChangeTracker.Clear();
        Assert.Equal(["old-event"], await db.IdempotencyRecords.Where(r => r.Key.StartsWith("old-")).Select(r => r.Key).ToListAsync(cancellationToken));
    }

    private static IdempotencyRecord Kept(string key, string body) => new()
    {
        Scope = "admin",
        Key = key,
        RequestHash = new byte[32],
        CreatedAt = DateTimeOffset.UtcNow,
        StatusCode = 201,
        ContentType = "application/json; charset=utf-8",
        Body = Encoding.UTF8.GetBytes(body),
    };
}

/// <summary>Tight limits, to see that rejected tokens and anonymous clients spend separate budgets.</summary>
public sealed class RejectedTokenLimitApiFactory : ApiFactory
{
    protected override IEnumerable<(string Key, string Value)> Settings =>
    [
        ("Organizer:RateLimits:WritesPerMinute", "100"),
        ("Organizer:RateLimits:AnonymousWritesPerMinute", "2"),
        ("Organizer:RateLimits:RejectedTokenRequestsPerMinute", "2"),
        ("Organizer:Moderation:AllowAnonymousSubmissions", "true"),
    ];
}

public sealed class RejectedTokenLimitTests(RejectedTokenLimitApiFactory factory) : IClassFixture<RejectedTokenLimitApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task RejectedTokens_SpendTheirOwnBudget_NotTheAnonymousOne()
    {
        var body = WriteClient.EventBody("Picket after a token spray", "2026-12-24T09:00:00", "2026-12-24T10:00:00");
        body["organizations"] = new JsonArray();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, $"guessed-token-{i}", idempotencyKey: $"spray-{i}");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, idempotencyKey: "honest")).ExpectAsync(HttpStatusCode.Created);
    }
}

/// <summary>Feeds are cached by what they render from: unknown query parameters don't force a render, callers never share bodies.</summary>
public sealed class FeedCacheTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Theory]
    [InlineData("/feeds/cities/toronto.ics?cb=")]
    [InlineData("/feeds/events.ics?cb=")]
    [InlineData("/feeds/all.ics?q=")]
    [InlineData("/feeds/organizations/cupe.ics?city=")]
    [InlineData("/feeds/organizations/cupe.atom?cancelled=")]
    [InlineData("/api/events/2020-10-18-toronto-no-new-coup-in-bolivia-rally.ics?from=")]
    public async Task AQueryParameterTheFeedDoesNotRead_IsServedFromTheCache(string url)
    {
        using var first = await client.GetAsync($"{url}first", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var busted = await client.GetAsync($"{url}second", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, busted.StatusCode);
        Assert.True(busted.Headers.Age is not null, "A query parameter the feed ignores made the server render it again.");
        Assert.Equal(first.Headers.ETag, busted.Headers.ETag);
    }

    [Theory]
    [InlineData("/feeds/events.ics", "organization=cupe")]
    [InlineData("/feeds/events.ics", "city=toronto")]
    [InlineData("/feeds/events.ics", "country=CA")]
    [InlineData("/feeds/events.ics", "kind=rally")]
    [InlineData("/feeds/events.ics", "tag=bolivia")]
    [InlineData("/feeds/events.ics", "from=2020-01-01")]
    [InlineData("/feeds/events.ics", "to=2030-01-01")]
    [InlineData("/feeds/events.ics", "status=scheduled")]
    [InlineData("/feeds/events.ics", "cancelled=exclude")]
    [InlineData("/feeds/events.ics", "q=bolivia")]
    [InlineData("/feeds/all.ics", "cancelled=exclude")]
    [InlineData("/feeds/organizations/cupe.ics", "cancelled=exclude")]
    [InlineData("/feeds/cities/toronto.ics", "cancelled=exclude")]
    [InlineData("/feeds/kinds/rally.ics", "cancelled=exclude")]
    public async Task EveryParameterTheFeedReads_StillVariesTheCache(string feed, string parameter)
    {
        for (var i = 0; i < 2; i++)
        {
            using var plain = await client.GetAsync(feed, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        }

        using var filtered = await client.GetAsync($"{feed}?{parameter}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, filtered.StatusCode);
        Assert.True(filtered.Headers.Age is null, $"{feed}?{parameter} was answered with the plain feed from the cache.");
    }

    [Fact]
    public async Task ARequestWithAnAuthorizationHeader_IsNeverServedFromTheCache()
    {
        for (var i = 0; i < 2; i++)
        {
            (await client.GetAsync("/feeds/all.ics", TestContext.Current.CancellationToken)).Dispose();
        }

        using var cached = await client.GetAsync("/feeds/all.ics", TestContext.Current.CancellationToken);
        Assert.NotNull(cached.Headers.Age);
        using var withToken = await client.SendJsonAsync(HttpMethod.Get, "/feeds/all.ics", null, ApiFactory.AdminToken);

        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.Null(withToken.Headers.Age);
    }

    [Fact]
    public async Task APrivateFeed_IsNeverServedToASecretThatDiffersOnlyInCase()
    {
        var rotated = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/cupe/feed-secret", null, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.OK);
        var url = new Uri((string)rotated["url"]!).PathAndQuery;
        for (var i = 0; i < 2; i++)
        {
            using var feed = await client.GetAsync(url, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        }

        var secret = url.Split('/')[^1];
        var swapped = new string(secret.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)).ToArray()).Replace(".ICS", ".ics", StringComparison.Ordinal);
        using var guessed = await client.GetAsync($"/feeds/private/{swapped}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, guessed.StatusCode);
    }
}
