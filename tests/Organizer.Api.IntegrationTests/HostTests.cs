using System.Net;

namespace Organizer.Api.IntegrationTests;

public sealed class HostTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task Liveness_AndReadiness_AreHealthy()
    {
        using var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        using var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheReadApi()
    {
        var document = await client.GetJsonAsync("/openapi/v1.json");

        foreach (var path in new[] { "/api/events", "/api/events/{slug}", "/api/organizations/{slug}", "/api/places", "/api/statements/{slug}" })
        {
            Assert.NotNull(document["paths"]![path]);
        }
    }

    [Fact]
    public async Task ApiReference_IsServedAtDocs()
    {
        using var response = await client.GetAsync("/docs/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
