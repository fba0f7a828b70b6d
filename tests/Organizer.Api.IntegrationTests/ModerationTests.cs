using System.Net;
using System.Text.Json.Nodes;

namespace Organizer.Api.IntegrationTests;

/// <summary>With anonymous submissions on: the app under the settings an open calendar would use.</summary>
public sealed class AnonymousSubmissionsApiFactory : ApiFactory
{
    protected override IEnumerable<(string Key, string Value)> Settings =>
        base.Settings.Append(("Organizer:Moderation:AllowAnonymousSubmissions", "true"));
}

public sealed class ModerationTests(AnonymousSubmissionsApiFactory factory) : IClassFixture<AnonymousSubmissionsApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task AnonymousSubmission_IsPending_Invisible_UntilApproved_ThenInTheFeed()
    {
        var body = WriteClient.EventBody("Community picket against evictions", "2026-12-14T09:00:00", "2026-12-14T11:00:00");
        body["organizations"] = new JsonArray();

        var submitted = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body)).ExpectAsync(HttpStatusCode.Created);
        var slug = (string)submitted["slug"]!;
        Assert.Equal("pending", (string)submitted["status"]!);

        Assert.DoesNotContain(slug, (await client.GetAllEventsAsync()).Slugs());
        await client.GetJsonAsync($"/api/events/{slug}", HttpStatusCode.NotFound);
        Assert.DoesNotContain("Community picket against evictions", await client.GetStringAsync("/feeds/all.ics", TestContext.Current.CancellationToken));

        await (await client.SendJsonAsync(HttpMethod.Get, "/api/events?status=pending", null)).ExpectAsync(HttpStatusCode.Unauthorized);
        var cupe = await client.TokenForAsync("cupe");
        await (await client.SendJsonAsync(HttpMethod.Get, "/api/events?status=pending", null, cupe)).ExpectAsync(HttpStatusCode.Forbidden);
        var queue = await (await client.SendJsonAsync(HttpMethod.Get, "/api/events?status=pending", null, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(queue.Array("items"), i => (string)i!["slug"]! == slug);

        await (await client.SendJsonAsync(HttpMethod.Post, $"/api/events/{slug}/approve", null, cupe)).ExpectAsync(HttpStatusCode.Forbidden);
        var approved = await (await client.SendJsonAsync(HttpMethod.Post, $"/api/events/{slug}/approve", null, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("scheduled", (string)approved["status"]!);

        var feed = await IcalJs.ParseAsync(await client.GetStringAsync("/feeds/all.ics", TestContext.Current.CancellationToken));
        Assert.Contains(feed.Array("events"), e => (string)e!["summary"]! == "Community picket against evictions");
    }

    [Fact]
    public async Task RejectedSubmission_IsGone()
    {
        var body = WriteClient.EventBody("Spam event", "2026-12-15T09:00:00", "2026-12-15T10:00:00");
        body["organizations"] = new JsonArray();
        var slug = (string)(await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body)).ExpectAsync(HttpStatusCode.Created))["slug"]!;

        await (await client.SendJsonAsync(HttpMethod.Post, $"/api/events/{slug}/reject", null, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.NoContent);

        var queue = await (await client.SendJsonAsync(HttpMethod.Get, "/api/events?status=pending", null, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(queue.Array("items"), i => (string)i!["slug"]! == slug);
    }

    [Fact]
    public async Task InvalidToken_IsNeverTreatedAsAnonymous()
    {
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody(), "not-a-token")).ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Unlisted_IsReadableBySlug_ButNotListedOrInPublicFeeds()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var body = WriteClient.EventBody("Unlisted planning meeting", "2026-12-16T19:00:00", "2026-12-16T21:00:00");
        body["visibility"] = "unlisted";
        var slug = (string)(await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created))["slug"]!;

        Assert.Equal("unlisted", (string)(await client.GetJsonAsync($"/api/events/{slug}"))["visibility"]!);
        Assert.DoesNotContain(slug, (await client.GetAllEventsAsync()).Slugs());
        Assert.DoesNotContain("Unlisted planning meeting", await client.GetStringAsync("/feeds/organizations/communist-party-of-canada.ics", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Private_IsForTheHostAndAdmin_AndItsSecretFeed_WhichRotates()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var body = WriteClient.EventBody("Private security briefing", "2026-12-17T19:00:00", "2026-12-17T20:00:00");
        body["visibility"] = "private";
        var slug = (string)(await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created))["slug"]!;

        await client.GetJsonAsync($"/api/events/{slug}", HttpStatusCode.NotFound);
        var cupe = await client.TokenForAsync("cupe");
        await (await client.SendJsonAsync(HttpMethod.Get, $"/api/events/{slug}", null, cupe)).ExpectAsync(HttpStatusCode.NotFound);
        await (await client.SendJsonAsync(HttpMethod.Get, $"/api/events/{slug}", null, token)).ExpectAsync(HttpStatusCode.OK);
        await (await client.SendJsonAsync(HttpMethod.Get, $"/api/events/{slug}", null, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain("Private security briefing", await client.GetStringAsync("/feeds/all.ics", TestContext.Current.CancellationToken));

        var first = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/communist-party-of-canada/feed-secret", null, token)).ExpectAsync(HttpStatusCode.OK);
        var url = (string)first["url"]!;
        Assert.StartsWith("webcal://", (string)first["webcal"]!);
        var feed = await IcalJs.ParseAsync(await client.GetStringAsync(url, TestContext.Current.CancellationToken));
        Assert.Contains(feed.Array("events"), e => (string)e!["summary"]! == "Private security briefing");
        Assert.Contains(feed.Array("events"), e => (string)e!["summary"]! == "No New Coup in Bolivia! Support Democracy");

        var second = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/communist-party-of-canada/feed-secret", null, token)).ExpectAsync(HttpStatusCode.OK);
        using var old = await client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        using var current = await client.GetAsync((string)second["url"]!, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.True(current.Headers.CacheControl!.Private);
    }
}
