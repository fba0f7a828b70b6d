using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Organizer.Api.IntegrationTests;

/// <summary>A retried POST on a bad connection never creates two events.</summary>
public sealed class IdempotencyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task SameKeySameBody_ReplaysTheFirstAnswer_AndCreatesOneEvent()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var body = WriteClient.EventBody("Retried rally", "2026-12-18T12:00:00", "2026-12-18T13:00:00");

        using var first = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token, idempotencyKey: "rally-42");
        using var retry = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token, idempotencyKey: "rally-42");

        var original = await first.ExpectAsync(HttpStatusCode.Created);
        var replayed = await retry.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(original.ToJsonString(), replayed.ToJsonString());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        await using var scope = factory.CreateScope(out var db);
        Assert.Equal(1, await db.Events.CountAsync(e => e.Title == "Retried rally", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ConcurrentRetries_CreateOneEvent_AndTheOthersReplayOrAreToldToWait()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var body = WriteClient.EventBody("Concurrently retried rally", "2026-12-17T12:00:00", "2026-12-17T13:00:00");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token, idempotencyKey: "concurrent-42")));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created && !r.Headers.Contains("Idempotent-Replayed"));
        await using var scope = factory.CreateScope(out var db);
        Assert.Equal(1, await db.Events.CountAsync(e => e.Title == "Concurrently retried rally", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SameKeyDifferentBody_Is422()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody("Keyed rally", "2026-12-19T12:00:00", "2026-12-19T13:00:00"), token, idempotencyKey: "k-1"))
            .ExpectAsync(HttpStatusCode.Created);

        var problem = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody("Another rally", "2026-12-19T12:00:00", "2026-12-19T13:00:00"), token, idempotencyKey: "k-1"))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(422, (int)problem["status"]!);
    }

    [Fact]
    public async Task Keys_AreScopedToTheToken()
    {
        var party = await client.TokenForAsync("communist-party-of-canada");
        var league = await client.TokenForAsync("young-communist-league-of-canada");
        var body = WriteClient.EventBody("Shared key rally", "2026-12-20T12:00:00", "2026-12-20T13:00:00");
        body["organizations"] = new System.Text.Json.Nodes.JsonArray();

        var a = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, party, idempotencyKey: "same")).ExpectAsync(HttpStatusCode.Created);
        var b = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, league, idempotencyKey: "same")).ExpectAsync(HttpStatusCode.Created);

        Assert.NotEqual((string)a["slug"]!, (string)b["slug"]!);
    }

    [Fact]
    public async Task ARejectedRequest_IsNotKept_SoTheCorrectedRetryRuns()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var bad = WriteClient.EventBody("", "2026-12-21T12:00:00", "2026-12-21T13:00:00");
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", bad, token, idempotencyKey: "fix-me")).ExpectAsync(HttpStatusCode.BadRequest);

        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", bad, token, idempotencyKey: "fix-me")).ExpectAsync(HttpStatusCode.BadRequest);
    }
}

public sealed class LowRateLimitApiFactory : ApiFactory
{
    protected override IEnumerable<(string Key, string Value)> Settings =>
    [
        ("Organizer:RateLimits:WritesPerMinute", "3"),
        ("Organizer:RateLimits:AnonymousWritesPerMinute", "2"),
    ];
}

public sealed class RateLimitTests(LowRateLimitApiFactory factory) : IClassFixture<LowRateLimitApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task WritesBeyondTheLimit_Are429WithRetryAfter_PerToken()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/places", new { name = $"Hall {i}", city = "Ottawa", countryCode = "CA" }, token);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                await ProblemBodyTests.AssertProblemAsync(response, HttpStatusCode.TooManyRequests, "Too many requests.");
            }
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);

        // Another organization's token has its own allowance, and reading is never limited.
        var other = await client.TokenForAsync("cupe");
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/places", new { name = "Union hall", city = "Ottawa", countryCode = "CA" }, other)).ExpectAsync(HttpStatusCode.Created);
        await client.GetJsonAsync("/api/places");
    }
}
