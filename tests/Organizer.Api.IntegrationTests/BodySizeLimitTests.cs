using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// Bodies over 64 KB are refused with a 413 problem, however they arrive, before anything is written. The limit is
/// Kestrel's own, which the in-memory test server does not enforce, so these run on real Kestrel.
/// </summary>
public sealed class BodySizeLimitTests(KestrelApiFactory factory) : IClassFixture<KestrelApiFactory>
{
    private const int Limit = 64 * 1024;

    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task DeclaredContentLengthOverTheLimit_Is413Problem()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var body = WriteClient.EventBody();
        body["description"] = new string('x', 70_000);

        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token);

        await AssertTooLargeAsync(response);
    }

    [Fact]
    public async Task ChunkedBodyRunningPastTheLimit_Is413Problem()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = new ChunkedJson(Limit + 10_000) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TransferEncodingChunked = true;

        // A plain client: the factory's own buffers the body to follow redirects, and then sends its length.
        using var plain = new HttpClient { BaseAddress = client.BaseAddress };
        using var response = await plain.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Null(request.Content.Headers.ContentLength);
        await AssertTooLargeAsync(response);
    }

    [Fact]
    public async Task OversizedPatch_Is413Problem()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody("Rally to patch too much"), token)).ExpectAsync(HttpStatusCode.Created);

        using var response = await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{created["slug"]}",
            $"{{\"description\":\"{new string('x', 70_000)}\"}}", token, "application/merge-patch+json");

        await AssertTooLargeAsync(response);
    }

    [Fact]
    public async Task OversizedBodyWithAnIdempotencyKey_Is413Problem_AndKeepsNoRecord()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var body = WriteClient.EventBody();
        body["description"] = new string('x', 70_000);

        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token, idempotencyKey: "too-large");

        await AssertTooLargeAsync(response);
        await using var scope = factory.CreateScope(out var db);
        Assert.False(await db.IdempotencyRecords.AnyAsync(r => r.Key == "too-large", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task BodyJustUnderTheLimit_IsRead()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var body = WriteClient.EventBody("Rally with a long description");
        body["description"] = new string('x', 60_000);

        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token);

        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True((int)response.StatusCode < 500, $"answered {(int)response.StatusCode}");
    }

    private static async Task AssertTooLargeAsync(HttpResponseMessage response)
    {
        var problem = await ProblemBodyTests.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "The request body is too large.");
        Assert.Equal("Request bodies are limited to 64 KB.", (string?)problem["detail"]);
    }

    /// <summary>A JSON event body sent without a Content-Length (Transfer-Encoding: chunked), so only reading it finds its size.</summary>
    private sealed class ChunkedJson : HttpContent
    {
        private readonly int length;

        public ChunkedJson(int length)
        {
            this.length = length;
            Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var json = WriteClient.EventBody();
            json["description"] = new string('x', length);
            var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
            for (var offset = 0; offset < bytes.Length; offset += 8192)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(8192, bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
