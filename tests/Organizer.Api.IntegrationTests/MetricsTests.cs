using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// What an operator's Prometheus scrapes from <c>/metrics</c>: request latency per route template (never per path, which
/// would carry slugs and private feed secrets), feed renders, the database pool; and only with the admin token.
/// </summary>
/// <remarks>
/// Alone, after the classes that run in parallel: each test host has its own ASP.NET Core meters, all of one name, and
/// OpenTelemetry stops exporting a metric when any meter of that name is disposed (opentelemetry-dotnet #6412). Another
/// class's host shutting down mid-test emptied this host's scrape, one run in a few. A real process has one host.
/// </remarks>
[Collection(nameof(MetricsTests))]
[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public sealed class MetricsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string EventRoute = "/api/events/{slug}";
    private const string FeedRoute = "/feeds/kinds/{kind}.ics";

    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task AScrape_AfterSomeRequests_HasLatencyPerRouteTemplate_FeedRenders_AndThePool()
    {
        var slug = (string)(await client.GetAllEventsAsync("from=2019-01-01&to=2030-01-01"))[0]["slug"]!;
        await (await client.GetAsync($"/api/events/{slug}", TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.OK);
        using (var feed = await client.GetAsync("/feeds/kinds/rally.ics", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        }

        var scrape = await ScrapeAsync();

        Assert.True(Count(scrape, "http_server_request_duration_seconds_count", Route(EventRoute), Status(200)) >= 1, Excerpt(scrape, EventRoute));
        Assert.True(Count(scrape, "http_server_request_duration_seconds_bucket", Route(EventRoute), Status(200), "le=\"+Inf\"") >= 1, Excerpt(scrape, EventRoute));
        Assert.Contains(scrape, line => line.StartsWith("organizer_feed_renders_total{", StringComparison.Ordinal));
        Assert.Contains(scrape, line => line.StartsWith("db_client_connection_count{", StringComparison.Ordinal) && line.Contains("db_client_connection_state=\"idle\"", StringComparison.Ordinal));
        Assert.Contains(scrape, line => line.StartsWith("db_client_connection_max{", StringComparison.Ordinal));
        Assert.Contains(scrape, line => line.StartsWith("dotnet_gc_collections_total", StringComparison.Ordinal));

        // Labels name templates, never the values a path carried.
        Assert.DoesNotContain(scrape, line => line.Contains(slug, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFeedAnsweredFromTheCache_IsCountedUnderItsRouteTemplate()
    {
        // KeptFeeds answers a kept feed before its endpoint runs; the route is matched by then, so it still has a label.
        using var first = await client.GetAsync("/feeds/kinds/march.ics", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var before = Count(await ScrapeAsync(), "http_server_request_duration_seconds_count", Route(FeedRoute), Status(304));

        for (var i = 0; i < 3; i++)
        {
            using var conditional = new HttpRequestMessage(HttpMethod.Get, "/feeds/kinds/march.ics");
            conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
            using var notModified = await client.SendAsync(conditional, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.NotNull(notModified.Headers.Age); // only a kept answer says how old it is
        }

        var scrape = await ScrapeAsync();
        Assert.True(Count(scrape, "http_server_request_duration_seconds_count", Route(FeedRoute), Status(304)) - before >= 3, Excerpt(scrape, FeedRoute));
    }

    [Fact]
    public async Task Metrics_NeedTheAdminToken()
    {
        using var anonymous = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.DoesNotContain("http_server", await anonymous.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        var token = await client.TokenForAsync("cupe");
        using var organization = await client.SendJsonAsync(HttpMethod.Get, "/metrics", null, token);
        Assert.Equal(HttpStatusCode.Forbidden, organization.StatusCode);
    }

    [Fact]
    public async Task Scrapes_AreNeitherLimitedNorCached()
    {
        // A scrape collects afresh: a request made between two scrapes is in the second one.
        var first = Count(await ScrapeAsync(), "http_server_request_duration_seconds_count", Route("/health/live"), Status(200));
        using (var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        var second = Count(await ScrapeAsync(), "http_server_request_duration_seconds_count", Route("/health/live"), Status(200));
        Assert.True(second > first, $"The second scrape counts {second} probes, the first {first}.");

        for (var i = 0; i < 30; i++)
        {
            await ScrapeAsync();
        }
    }

    private async Task<string[]> ScrapeAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiFactory.AdminToken);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/metrics answered {(int)response.StatusCode}: {body}");
        return body.Split('\n');
    }

    private static string Route(string template) => $"http_route=\"{template}\"";

    private static string Status(int status) => $"http_response_status_code=\"{status}\"";

    /// <summary>The sum of the samples of <paramref name="metric"/> whose labels include every one of <paramref name="labels"/>.</summary>
    private static double Count(string[] scrape, string metric, params string[] labels) => scrape
        .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) && labels.All(label => line.Contains(label, StringComparison.Ordinal)))
        .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    private static string Excerpt(string[] scrape, string route) =>
        "Scraped:\n" + string.Join('\n', scrape.Where(line => line.StartsWith("http_server_request_duration_seconds_count", StringComparison.Ordinal)).Take(40))
        + $"\n(looking for {route})";
}
