using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// With <c>Organizer:Feeds:Compress</c> on, the gzip and the plain feed are two representations: each has its own
/// strong ETag, and both say they vary by Accept-Encoding, so no cache hands one to a client that asked for the other.
/// </summary>
public sealed class FeedCompressionTests(FeedCompressionTests.CompressingFactory factory) : IClassFixture<FeedCompressionTests.CompressingFactory>
{
    private const string Feed = "/feeds/organizations/communist-party-of-canada.ics";

    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task GzipAndPlain_HaveTheirOwnETags_AndBothVaryByAcceptEncoding()
    {
        using var plain = await GetAsync(gzip: false);
        using var zipped = await GetAsync(gzip: true);

        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal(["gzip"], zipped.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", plain.Headers.Vary);
        Assert.Contains("Accept-Encoding", zipped.Headers.Vary);
        Assert.NotEqual(plain.Headers.ETag, zipped.Headers.ETag);

        await using var unzipped = new GZipStream(await zipped.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken), CompressionMode.Decompress);
        using var reader = new StreamReader(unzipped);
        Assert.Equal(await plain.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), await reader.ReadToEndAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task EachRepresentation_Revalidates_OnlyWithItsOwnETag()
    {
        using var plain = await GetAsync(gzip: false);
        using var zipped = await GetAsync(gzip: true);

        // Twice each: the first answer may come from a render, the second from the cache; both must agree.
        for (var i = 0; i < 2; i++)
        {
            using (var same = await GetAsync(gzip: true, ifNoneMatch: zipped.Headers.ETag))
            {
                Assert.Equal(HttpStatusCode.NotModified, same.StatusCode);
            }

            using (var other = await GetAsync(gzip: false, ifNoneMatch: zipped.Headers.ETag))
            {
                Assert.Equal(HttpStatusCode.OK, other.StatusCode);
                Assert.Equal(plain.Headers.ETag, other.Headers.ETag);
            }
        }
    }

    private async Task<HttpResponseMessage> GetAsync(bool gzip, EntityTagHeaderValue? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Feed);
        if (gzip)
        {
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(ifNoneMatch);
        }

        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotModified, $"{Feed} answered {(int)response.StatusCode}");
        return response;
    }

    public sealed class CompressingFactory : ApiFactory
    {
        protected override IEnumerable<(string Key, string Value)> Settings => [.. base.Settings, ("Organizer:Feeds:Compress", "true")];
    }
}
