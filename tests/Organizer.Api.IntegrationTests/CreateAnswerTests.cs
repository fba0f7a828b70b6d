using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// A create answers with the event as a read right after it shows it, byte for byte, although it no longer reads the
/// event back (issue 12); and the feeds the new event enters move their Last-Modified forward.
/// </summary>
public sealed class CreateAnswerTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    public static TheoryData<string> Shapes => new(["timed at a place", "all-day, new place, everything", "session", "by the admin"]);

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task TheCreatedAnswer_IsWhatAReadRightAfterShows(string shape)
    {
        var (organization, body) = Body(shape);
        var token = organization is null ? ApiFactory.AdminToken : await client.TokenForAsync(organization);

        using var created = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token);
        var answer = await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(created.StatusCode == HttpStatusCode.Created, answer);

        using var read = new HttpRequestMessage(HttpMethod.Get, created.Headers.Location);
        read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(read, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), answer);
        Assert.Equal(created.Content.Headers.ContentType, response.Content.Headers.ContentType);
        Assert.Equal($"/api/events/{JsonNode.Parse(answer)!["slug"]}", created.Headers.Location!.OriginalString);

        // The version a client sends back in If-Match is the stored one: a replace with it succeeds.
        using var replace = await client.SendJsonAsync(HttpMethod.Put, created.Headers.Location!.OriginalString, body, token, ifMatch: created.Headers.ETag!.Tag);
        await replace.ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ACreate_MovesTheLastModifiedOfTheFeedsItEnters()
    {
        string[] feeds = ["/feeds/all.ics", "/feeds/organizations/cupe.ics", "/feeds/organizations/young-communist-league-of-canada.ics",
            "/feeds/organizations/cupe.atom", "/feeds/kinds/picket.ics"];
        var before = new Dictionary<string, DateTimeOffset?>();
        foreach (var feed in feeds)
        {
            using var response = await client.GetAsync(feed, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            before[feed] = response.Content.Headers.LastModified;
        }

        await Task.Delay(1100, TestContext.Current.CancellationToken); // Last-Modified has whole seconds
        var body = WriteClient.EventBody("Picket at the labour board", "2026-12-15T08:00:00", "2026-12-15T10:00:00");
        body["kind"] = "picket";
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, await client.TokenForAsync("cupe"))).ExpectAsync(HttpStatusCode.Created);

        foreach (var feed in feeds)
        {
            using var response = await client.GetAsync(feed, TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Contains("Picket at the labour board", text);
            Assert.True(response.Content.Headers.LastModified > before[feed], $"{feed}: Last-Modified {response.Content.Headers.LastModified} after the create, {before[feed]} before.");
        }
    }

    [Fact]
    public async Task ACreate_LeavesTheLastModifiedOfFeedsItDoesNotEnter()
    {
        // Two renders of the same feed, the second not served from the first's copy (another query string is another copy).
        const string Feed = "/feeds/kinds/vigil.ics";
        using var first = await client.GetAsync(Feed, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        await Task.Delay(1100, TestContext.Current.CancellationToken); // Last-Modified has whole seconds
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody("Rally that is not a vigil", "2026-12-16T08:00:00", "2026-12-16T10:00:00"),
            await client.TokenForAsync("cupe"))).ExpectAsync(HttpStatusCode.Created);

        using var second = await client.GetAsync($"{Feed}?cancelled=include", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Null(second.Headers.Age);
        Assert.Equal(first.Content.Headers.LastModified, second.Content.Headers.LastModified);
    }

    private static (string? Organization, JsonObject Body) Body(string shape)
    {
        var body = WriteClient.EventBody($"Answer check: {shape}", "2026-12-20T18:00:00", "2026-12-20T20:00:00");
        switch (shape)
        {
            case "timed at a place":
                return ("communist-party-of-canada", body);
            case "all-day, new place, everything":
                body["allDay"] = true;
                body["start"] = "2026-12-19";
                body["end"] = "2026-12-20";
                body.Remove("place");
                body["newPlace"] = new JsonObject
                {
                    ["name"] = "Union Hall", ["address"] = "12 Main Street", ["city"] = "Sudbury", ["region"] = "Ontario", ["countryCode"] = "ca",
                    ["latitude"] = 46.4917, ["longitude"] = -80.993,
                };
                body["visibility"] = "private";
                body["description"] = "Line one.\r\nLine two, with \"quotes\" and é.";
                // An alias names its organization, which the answer gives by its own slug.
                body["organizations"] = new JsonArray(
                    new JsonObject { ["slug"] = "latin-american-and-caribbean-solidarity-network", ["role"] = "endorser" },
                    new JsonObject { ["slug"] = "young-communist-league-of-canada", ["role"] = "participant" });
                body["speakers"] = new JsonArray(
                    new JsonObject { ["name"] = " Ana Quispe ", ["affiliation"] = "CUPE 4400", ["role"] = "Organizer" }, new JsonObject { ["name"] = "Luis Mamani" });
                body["attendance"] = new JsonObject { ["estimate"] = 120, ["reported"] = "about 120 people" };
                body["tags"] = new JsonArray("Bolivia", "solidarity", "bolivia");
                body["sources"] = new JsonArray(
                    new JsonObject { ["document"] = "000_19f68c5084941c88.txt", ["quote"] = "A known document." },
                    new JsonObject { ["document"] = "https://example.org/report", ["quote"] = "An unknown one." });
                return ("cpso", body);
            case "session":
                body["kind"] = "workshop";
                body["parent"] = "2022-06-01-ilps-in-canada-5th-general-assembly";
                body.Remove("place");
                body["onlineUrl"] = "https://meet.example.org/ilps";
                body["organizations"] = new JsonArray();
                return ("ilps-canada", body);
            default:
                body["host"] = "cupe";
                return (null, body);
        }
    }
}
