using System.Net;
using System.Text.Json.Nodes;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// A feed is written in pieces with flushes along the way. The in-memory test server keeps whatever is written, but
/// Kestrel only sends what is flushed: a large feed must arrive whole, rendered or kept.
/// </summary>
public sealed class FeedOverKestrelTests(KestrelApiFactory factory) : IClassFixture<KestrelApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task AFeedOfManyFlushes_ArrivesWhole_RenderedAndKept()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var description = string.Concat(Enumerable.Repeat("A long account of the day, as the report gives it. ", 60));
        for (var i = 0; i < 60; i++)
        {
            var body = WriteClient.EventBody($"Long rally {i}", "2026-12-05T14:00:00", "2026-12-05T16:00:00");
            body["description"] = description;
            await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        foreach (var answer in new[] { "rendered", "kept" })
        {
            using var response = await client.GetAsync("/feeds/organizations/communist-party-of-canada.ics", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            Assert.True(bytes.Length > 200 * 1024, $"The {answer} feed is {bytes.Length} bytes: too small to need several flushes.");
            Assert.Equal(response.Content.Headers.ContentLength, bytes.Length);
            Assert.EndsWith("END:VCALENDAR\r\n", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        }
    }
}
