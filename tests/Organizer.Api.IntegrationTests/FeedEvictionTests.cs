using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Organizer.Domain.Access;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// A cached feed goes exactly when a committed write changed what it shows: never after a write it doesn't show (so no
/// client can empty the cache at will), always after one it does (so no subscriber is served a stale feed).
/// </summary>
public sealed class FeedEvictionTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string AllFeed = "/feeds/all.ics";

    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task KeyedRequestsThatChangeNoEvent_KeepTheCachedFeed()
    {
        var token = await client.TokenForAsync("cupe");
        var cached = await PrimeAsync(AllFeed);

        // Each writes or deletes an idempotency record, and none changes an event.
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody(""), token, idempotencyKey: "refused"))
            .ExpectAsync(HttpStatusCode.BadRequest);
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events/no-such-event/cancel", new { reason = "x" }, token, idempotencyKey: "missing"))
            .ExpectAsync(HttpStatusCode.NotFound);
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events/no-such-event/cancel", new { reason = "x" }, token, idempotencyKey: "missing"))
            .ExpectAsync(HttpStatusCode.NotFound);

        await AssertStillCachedAsync(AllFeed, cached);
    }

    [Fact]
    public async Task IssuingAndRevokingATokenAndAuditEntries_KeepTheCachedFeed()
    {
        var cached = await PrimeAsync(AllFeed);

        var issued = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/cupe/tokens", new { label = "short-lived" }, ApiFactory.AdminToken, idempotencyKey: "issue"))
            .ExpectAsync(HttpStatusCode.Created);
        await (await client.SendJsonAsync(HttpMethod.Get, "/api/events?limit=1", null, (string)issued["token"]!)).ExpectAsync(HttpStatusCode.OK);
        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/organizations/cupe/tokens/{issued["id"]}", null, ApiFactory.AdminToken))
            .ExpectAsync(HttpStatusCode.NoContent);
        await using (var scope = factory.CreateScope(out var db))
        {
            db.AuditEntries.Add(new AuditEntry { Actor = "admin", Action = "test", EntityType = "event", At = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await AssertStillCachedAsync(AllFeed, cached);
    }

    [Fact]
    public async Task AnEventChange_RefreshesTheCachedFeeds_AtOnce()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var (slug, etag) = await CreateEventAsync(token);
        var cached = await PrimeAsync(AllFeed);
        await PrimeAsync($"/api/events/{slug}.ics");

        await (await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}", new JsonObject { ["title"] = "Eviction rally moved" }, token, "application/merge-patch+json", ifMatch: etag))
            .ExpectAsync(HttpStatusCode.OK);

        foreach (var url in new[] { AllFeed, $"/api/events/{slug}.ics" })
        {
            using var after = await client.GetAsync(url, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.True(after.Headers.Age is null, $"{url} was served from the cache after the event changed.");
            Assert.Contains("SUMMARY:Eviction rally moved", Unfolded(await after.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        }

        using var all = await client.GetAsync(AllFeed, TestContext.Current.CancellationToken);
        Assert.NotEqual(cached, all.Headers.ETag);
    }

    [Fact]
    public async Task ChangingOnlyAnEventsSources_RefreshesItsCachedFeed()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var (slug, etag) = await CreateEventAsync(token);
        var feed = $"/api/events/{slug}.ics";
        await PrimeAsync(feed);

        await (await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}",
                new JsonObject { ["sources"] = new JsonArray(new JsonObject { ["document"] = "https://example.org/eviction", ["quote"] = "Sources changed." }) },
                token, "application/merge-patch+json", ifMatch: etag))
            .ExpectAsync(HttpStatusCode.OK);

        using var after = await client.GetAsync(feed, TestContext.Current.CancellationToken);
        Assert.True(after.Headers.Age is null, "The event's feed was served from the cache after its sources changed.");
        Assert.Contains("Sources changed.", Unfolded(await after.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task AnEventChange_KeepsTheCachedFeedsThatNeverShowedIt()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        string[] untouched = ["/feeds/organizations/cupe.ics", "/feeds/organizations/cupe.atom", "/feeds/kinds/vigil.ics", "/feeds/cities/ottawa.ics"];
        string[] touched = [AllFeed, "/feeds/organizations/communist-party-of-canada.ics", "/feeds/organizations/young-communist-league-of-canada.ics",
            "/feeds/kinds/rally.ics", "/feeds/cities/toronto.ics", "/feeds/events.ics?tag=bolivia"];
        var cached = new Dictionary<string, EntityTagHeaderValue>();
        foreach (var url in untouched.Concat(touched))
        {
            cached[url] = await PrimeAsync(url);
        }

        await CreateEventAsync(token);

        foreach (var url in untouched)
        {
            await AssertStillCachedAsync(url, cached[url]);
        }

        foreach (var url in touched)
        {
            using var after = await client.GetAsync(url, TestContext.Current.CancellationToken);
            Assert.True(after.Headers.Age is null, $"{url} shows the new event but was served from the cache.");
            Assert.NotEqual(cached[url], after.Headers.ETag);
        }
    }

    [Fact]
    public async Task TakingAnOrganizationOffAnEvent_RefreshesThatOrganizationsFeed()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var (slug, _) = await CreateEventAsync(token);
        const string feed = "/feeds/organizations/young-communist-league-of-canada.ics";
        await PrimeAsync(feed);

        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}/organizations/young-communist-league-of-canada", null, token))
            .ExpectAsync(HttpStatusCode.NoContent);

        using var after = await client.GetAsync(feed, TestContext.Current.CancellationToken);
        Assert.True(after.Headers.Age is null, "The feed of an organization taken off an event was served from the cache.");
        Assert.DoesNotContain(slug, Unfolded(await after.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MovingAnEvent_RefreshesTheCityItLeft()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var (slug, etag) = await CreateEventAsync(token);
        const string feed = "/feeds/cities/toronto.ics";
        await PrimeAsync(feed);

        await (await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}", new JsonObject { ["place"] = null, ["onlineUrl"] = "https://example.org/moved-online" },
                token, "application/merge-patch+json", ifMatch: etag))
            .ExpectAsync(HttpStatusCode.OK);

        using var after = await client.GetAsync(feed, TestContext.Current.CancellationToken);
        Assert.True(after.Headers.Age is null, "The feed of the city an event left was served from the cache.");
        Assert.DoesNotContain(slug, Unfolded(await after.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)), StringComparison.Ordinal);
    }

    private async Task<(string Slug, string ETag)> CreateEventAsync(string token)
    {
        var body = WriteClient.EventBody($"Eviction rally {Guid.NewGuid():N}", "2026-11-14T12:00:00", "2026-11-14T13:00:00");
        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token);
        var created = await response.ExpectAsync(HttpStatusCode.Created);
        return ((string)created["slug"]!, response.Headers.ETag!.Tag);
    }

    /// <summary>Renders a feed into the cache and checks that the next request is answered from it.</summary>
    private async Task<EntityTagHeaderValue> PrimeAsync(string url)
    {
        (await client.GetAsync(url, TestContext.Current.CancellationToken)).Dispose();
        using var cached = await client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.True(cached.Headers.Age is not null, $"{url} was not served from the output cache.");
        return cached.Headers.ETag!;
    }

    private async Task AssertStillCachedAsync(string url, EntityTagHeaderValue cached)
    {
        using var after = await client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.True(after.Headers.Age is not null, $"{url} was rendered again: a write that changed no feed evicted the cache.");
        Assert.Equal(cached, after.Headers.ETag);
    }

    private static string Unfolded(string ics) => ics.Replace("\r\n ", "", StringComparison.Ordinal);
}
