using System.Net;

namespace Organizer.Api.IntegrationTests;

/// <summary>Feeds are cached by what they render from: unknown query parameters don't force a render, callers never share bodies.</summary>
public sealed class FeedCacheTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task AnUnknownQueryParameter_IsServedFromTheCache()
    {
        using var first = await client.GetAsync("/feeds/cities/toronto.ics?cb=first", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var busted = await client.GetAsync("/feeds/cities/toronto.ics?cb=second", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, busted.StatusCode);
        Assert.True(busted.Headers.Age is not null, "A random query parameter made the server render the feed again.");
        Assert.Equal(first.Headers.ETag, busted.Headers.ETag);
    }

    [Theory]
    [InlineData("organization=cupe")]
    [InlineData("city=toronto")]
    [InlineData("country=CA")]
    [InlineData("kind=rally")]
    [InlineData("tag=bolivia")]
    [InlineData("from=2020-01-01")]
    [InlineData("to=2030-01-01")]
    [InlineData("status=scheduled")]
    [InlineData("cancelled=exclude")]
    [InlineData("q=bolivia")]
    public async Task EveryFilterTheFeedReads_StillVariesTheCache(string filter)
    {
        for (var i = 0; i < 2; i++)
        {
            using var unfiltered = await client.GetAsync("/feeds/events.ics", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, unfiltered.StatusCode);
        }

        using var filtered = await client.GetAsync($"/feeds/events.ics?{filter}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, filtered.StatusCode);
        Assert.True(filtered.Headers.Age is null, $"?{filter} was answered with the unfiltered feed from the cache.");
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
