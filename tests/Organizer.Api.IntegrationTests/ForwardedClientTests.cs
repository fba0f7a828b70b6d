using System.Net;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// Behind a load balancer every request comes from the balancer's address. The anonymous write budget is per client,
/// so the client's address must come from X-Forwarded-For, and only when the balancer is one the operator named:
/// otherwise anyone could claim a new address per request and never run out.
/// </summary>
public sealed class ForwardedClientTests
{
    [Fact]
    public async Task BehindAKnownBalancer_EachForwardedClientHasItsOwnBudget()
    {
        await using var factory = new Factory(trusted: true);
        var client = factory.CreateClient();

        Assert.NotEqual(HttpStatusCode.TooManyRequests, await AnonymousWriteAsync(client, "203.0.113.1"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await AnonymousWriteAsync(client, "203.0.113.2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await AnonymousWriteAsync(client, "203.0.113.1"));
    }

    [Fact]
    public async Task WithNoBalancerNamed_ForwardedAddressesAreIgnored()
    {
        await using var factory = new Factory(trusted: false);
        var client = factory.CreateClient();

        Assert.NotEqual(HttpStatusCode.TooManyRequests, await AnonymousWriteAsync(client, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await AnonymousWriteAsync(client, "203.0.113.2"));
    }

    private static async Task<HttpStatusCode> AnonymousWriteAsync(HttpClient client, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events")
        {
            Content = new StringContent(WriteClient.EventBody().ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    /// <summary>Over a real socket from 127.0.0.1, the balancer's address in these tests.</summary>
    private sealed class Factory : ApiFactory
    {
        private readonly bool trusted;

        public Factory(bool trusted)
        {
            this.trusted = trusted;
            UseKestrel(0);
            InitializeAsync().AsTask().GetAwaiter().GetResult();
        }

        protected override IEnumerable<(string Key, string Value)> Settings =>
        [
            ("Organizer:RateLimits:AnonymousWritesPerMinute", "1"),
            ("Organizer:Moderation:AllowAnonymousSubmissions", "true"),
            .. trusted ? [("Organizer:Proxies:KnownNetworks", "127.0.0.1/32")] : Array.Empty<(string, string)>(),
        ];
    }
}
