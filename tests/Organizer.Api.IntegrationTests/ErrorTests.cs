using System.Net;

namespace Organizer.Api.IntegrationTests;

/// <summary>Bad input gets an RFC 9457 problem naming what was wrong, never a 500.</summary>
public sealed class ErrorTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Theory]
    [InlineData("from=2020-13-01", "from")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2020-02-30", "to")]
    [InlineData("from=2022-06-05&to=2022-06-01", "to")]
    [InlineData("kind=parade", "kind")]
    [InlineData("kind=TeachIn", "kind")]
    [InlineData("status=done", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=10000", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=garbage", "cursor")]
    [InlineData("cursor=djF8MTIzfG5vdC1hLWd1aWQ", "cursor")]
    [InlineData("country=CAN", "country")]
    [InlineData("organization=", "organization")]
    public async Task MalformedFilter_Is400NamingTheParameter(string query, string parameter)
    {
        using var response = await client.GetAsync($"/api/events?{query}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await client.GetJsonAsync($"/api/events?{query}", HttpStatusCode.BadRequest);
        Assert.Equal(400, (int)problem["status"]!);
        Assert.NotNull(problem["errors"]![parameter]);
        Assert.Contains($"'{parameter}'", (string)problem["detail"]!);
    }

    [Theory]
    [InlineData("/api/events/no-such-event", "event")]
    [InlineData("/api/organizations/no-such-organization", "organization")]
    [InlineData("/api/places/no-such-place", "place")]
    [InlineData("/api/statements/no-such-statement", "statement")]
    [InlineData("/api/events?organization=no-such-organization", "organization")]
    public async Task UnknownSlug_Is404Problem(string url, string resource)
    {
        var problem = await client.GetJsonAsync(url, HttpStatusCode.NotFound);

        Assert.Equal(404, (int)problem["status"]!);
        Assert.Contains(resource, (string)problem["detail"]!);
        Assert.NotNull(problem["traceId"]);
    }

    [Theory]
    [InlineData("/api/events?organization=%00")]
    [InlineData("/api/events?city=%00")]
    [InlineData("/api/organizations/a%01b")]
    [InlineData("/api/events?organization=%01")]
    [InlineData("/api/events/%E2%80%AE%F0%9F%92%A5")]
    [InlineData("/api/events?city=%27%3B%20DROP%20TABLE%20events%3B--")]
    [InlineData("/api/organizations/%27%20OR%201%3D1")]
    public async Task HostileInput_NeverAnswers500(string url)
    {
        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.True((int)response.StatusCode < 500, $"{url} answered {(int)response.StatusCode}");
    }
}
