using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// A calendar app that gets one error drops the whole subscription, silently. So no feed answers 500 for any date or
/// zone its events have, and one event that cannot be written is left out (and logged), not the feed.
/// </summary>
public sealed class FeedResilienceTests(FeedResilienceTests.LoggingFactory factory) : IClassFixture<FeedResilienceTests.LoggingFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task EventsAYearAheadAndMore_InAnyZone_RenderInEveryFeed()
    {
        var organization = await NewOrganizationAsync();
        var token = await client.TokenForAsync(organization);
        var auckland = await CreateAsync(token, "Auckland vigil 2028", "2028-01-10T18:00:00", "2028-01-10T19:00:00", "Pacific/Auckland", "vigil",
            new JsonObject { ["name"] = "Aotea Square", ["city"] = "Auckland", ["countryCode"] = "NZ", ["timeZone"] = "Pacific/Auckland" });
        var aheadByAYear = await CreateAsync(token, "A year and a day ahead", "2027-12-01T12:00:00", "2027-12-01T13:00:00", "America/Toronto", "rally", null);

        var rotated = await (await client.SendJsonAsync(HttpMethod.Post, $"/api/organizations/{organization}/feed-secret", null, token)).ExpectAsync(HttpStatusCode.OK);
        var privateFeed = new Uri((string)rotated["url"]!).PathAndQuery;

        string[] feeds = [privateFeed, "/feeds/all.ics", "/feeds/kinds/vigil.ics", "/feeds/cities/auckland.ics", $"/feeds/organizations/{organization}.ics",
            $"/api/events/{auckland}.ics", $"/api/events/{aheadByAYear}.ics", $"/feeds/events.ics?organization={organization}"];
        foreach (var feed in feeds)
        {
            using var response = await client.GetAsync(feed, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{feed} answered {(int)response.StatusCode}");
        }

        using var own = await client.GetAsync($"/feeds/organizations/{organization}.ics", TestContext.Current.CancellationToken);
        var parsed = await IcalJs.ParseAsync(await own.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var starts = parsed["events"]!.AsArray().Select(e => (string)e!["start"]!).Order().ToList();
        Assert.Equal(["2027-12-01T17:00:00Z", "2028-01-10T05:00:00Z"], starts);
    }

    [Fact]
    public async Task AnEventThatCannotBeWritten_IsLeftOutAndLogged_AndTheRestIsServed()
    {
        var organization = await NewOrganizationAsync();
        var token = await client.TokenForAsync(organization);
        var good = await CreateAsync(token, "Written rally", "2027-03-01T12:00:00", "2027-03-01T13:00:00", "America/Toronto", "rally", null);
        var bad = await CreateAsync(token, "Unwritable rally", "2027-03-02T12:00:00", "2027-03-02T13:00:00", "America/Toronto", "rally", null);

        // Rows a client cannot make through the API but an old version or a hand edit can leave behind.
        await using (var scope = factory.CreateScope(out var db))
        {
            await db.Database.ExecuteSqlAsync($"update events set time_zone = 'Mars/Olympus_Mons' where slug = {bad}", TestContext.Current.CancellationToken);
        }

        using var response = await client.GetAsync($"/feeds/organizations/{organization}.ics", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Replace("\r\n ", "", StringComparison.Ordinal);
        Assert.Contains("SUMMARY:Written rally", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Unwritable rally", text, StringComparison.Ordinal);
        Assert.Single(await IcalJs.ParseAsync(text) is { } parsed ? parsed["events"]!.AsArray() : []);
        Assert.Contains(factory.Logged, line => line.Contains(bad, StringComparison.Ordinal) && line.StartsWith("Error", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logged, line => line.Contains(good, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Head_AnswersLikeGet_WithoutTheBody()
    {
        foreach (var feed in new[] { "/feeds/all.ics", "/feeds/organizations/communist-party-of-canada.ics", "/feeds/organizations/communist-party-of-canada.atom" })
        {
            using var get = await client.GetAsync(feed, TestContext.Current.CancellationToken);
            var body = await get.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, feed), TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(get.Headers.ETag, head.Headers.ETag);
            Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
            Assert.Equal(body.Length, head.Content.Headers.ContentLength);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }
    }

    private async Task<string> NewOrganizationAsync()
    {
        var name = $"Resilience Collective {Guid.NewGuid():N}"[..32];
        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations", new { name, kind = "network" }, ApiFactory.AdminToken))
            .ExpectAsync(HttpStatusCode.Created);
        return (string)created["slug"]!;
    }

    private async Task<string> CreateAsync(string token, string title, string start, string end, string zone, string kind, JsonObject? newPlace)
    {
        var body = WriteClient.EventBody(title, start, end);
        body["timeZone"] = zone;
        body["kind"] = kind;
        body.Remove("organizations");
        if (newPlace is not null)
        {
            body.Remove("place");
            body["newPlace"] = newPlace;
        }

        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created);
        return (string)created["slug"]!;
    }

    /// <summary>The app, with what it logs kept for the test to read.</summary>
    public sealed class LoggingFactory : ApiFactory
    {
        public ConcurrentQueue<string> Logged { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(new WarningLog(Logged)));
        }

    }
}
