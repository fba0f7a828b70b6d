using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.ServiceModel.Syndication;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;

namespace Organizer.Api.IntegrationTests;

/// <summary>Sharing formats: schema.org JSON-LD for one event, Atom for an organization's record.</summary>
public sealed class SharingFormatsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string JsonLd = "application/ld+json";
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private static readonly string[] Statuses =
        ["https://schema.org/EventScheduled", "https://schema.org/EventCancelled", "https://schema.org/EventPostponed"];

    private static readonly string[] AttendanceModes =
    [
        "https://schema.org/OfflineEventAttendanceMode", "https://schema.org/OnlineEventAttendanceMode", "https://schema.org/MixedEventAttendanceMode",
    ];

    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task JsonLd_ForEverySeededEvent_IsASchemaOrgEventWithTheRequiredFields()
    {
        var events = await client.GetAllEventsAsync();
        Assert.NotEmpty(events);

        foreach (var item in events)
        {
            var slug = (string)item["slug"]!;
            var json = await client.GetJsonAsync($"/api/events/{slug}");
            var ld = await GetJsonLdAsync($"/api/events/{slug}");

            Assert.Equal("https://schema.org", (string)ld["@context"]!);
            Assert.Equal("Event", (string)ld["@type"]!);
            Assert.Equal((string)json["title"]!, (string)ld["name"]!);
            Assert.EndsWith($"/api/events/{slug}", (string)ld["url"]!);
            Assert.Contains((string)ld["eventStatus"]!, Statuses);
            Assert.Contains((string)ld["eventAttendanceMode"]!, AttendanceModes);
            AssertIso8601((string)ld["startDate"]!, (bool)json["allDay"]!);
            if (ld["endDate"] is { } end)
            {
                AssertIso8601((string)end!, (bool)json["allDay"]!);
            }

            // Whenever the record knows where (a place, an online address), so does the JSON-LD.
            Assert.Equal(json["place"] is not null || json["onlineUrl"] is not null, ld["location"] is not null);
            var hosts = json.Array("organizations").Where(o => (string)o!["role"]! == "host").Select(o => (string)o!["name"]!).ToList();
            Assert.Equal(hosts, ld["organizer"]?.AsArray().Select(o => (string)o!["name"]!).ToList() ?? []);
            Assert.All(ld["organizer"]?.AsArray() ?? [], o => Assert.Equal("Organization", (string)o!["@type"]!));
        }
    }

    [Fact]
    public async Task JsonLd_AllDayMultiDayAssembly_HasDateOnlyInclusiveDates_APlace_AndItsSessions()
    {
        var ld = await GetJsonLdAsync("/api/events/2022-06-01-ilps-in-canada-5th-general-assembly");

        Assert.Equal("2022-06-01", (string)ld["startDate"]!);
        Assert.Equal("2022-06-04", (string)ld["endDate"]!);
        Assert.Equal("https://schema.org/OfflineEventAttendanceMode", (string)ld["eventAttendanceMode"]!);
        var place = ld["location"]!;
        Assert.Equal("Place", (string)place["@type"]!);
        Assert.Equal("PostalAddress", (string)place["address"]!["@type"]!);
        Assert.Equal("Ottawa", (string)place["address"]!["addressLocality"]!);
        Assert.Equal("ON", (string)place["address"]!["addressRegion"]!);
        Assert.Equal("CA", (string)place["address"]!["addressCountry"]!);
        Assert.Equal("GeoCoordinates", (string)place["geo"]!["@type"]!);
        Assert.Equal(45.4215, (double)place["geo"]!["latitude"]!, 4);
        Assert.Equal("International League of People’s Struggle (ILPS) in Canada", (string)ld["organizer"]!.AsArray().Single()!["name"]!);
        Assert.Contains(ld.Array("contributor"), c => ((string)c!["url"]!).EndsWith("/api/organizations/cpso", StringComparison.Ordinal));

        var sessions = ld.Array("subEvent");
        Assert.True(sessions.Count >= 8);
        var session = await GetJsonLdAsync(new Uri((string)sessions[0]!["url"]!).AbsolutePath);
        Assert.EndsWith("/api/events/2022-06-01-ilps-in-canada-5th-general-assembly", (string)session["superEvent"]!["@id"]!);
    }

    [Fact]
    public async Task JsonLd_TimedEvent_StartsAtTheLocalTimeWithTheZonesOffsetOnThatDay()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var winter = await CreateAsync(token, WriteClient.EventBody("JSON-LD winter rally", "2026-12-05T14:00:00", "2026-12-05T16:00:00"));
        var summer = await CreateAsync(token, WriteClient.EventBody("JSON-LD summer rally", "2027-07-10T18:30:00", "2027-07-10T20:00:00"));

        var winterLd = await GetJsonLdAsync($"/api/events/{winter}");
        var summerLd = await GetJsonLdAsync($"/api/events/{summer}");

        Assert.Equal("2026-12-05T14:00:00-05:00", (string)winterLd["startDate"]!);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 19, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse((string)winterLd["startDate"]!, CultureInfo.InvariantCulture));
        Assert.Equal("2026-12-05T16:00:00-05:00", (string)winterLd["endDate"]!);
        Assert.Equal("2027-07-10T18:30:00-04:00", (string)summerLd["startDate"]!);
        Assert.Equal("Communist Party of Canada", (string)winterLd["organizer"]!.AsArray().Single()!["name"]!);
        Assert.Equal("Young Communist League of Canada", (string)winterLd["contributor"]!.AsArray().Single()!["name"]!);
        Assert.Equal("Matt Cohen Park", (string)winterLd["location"]!["name"]!);
        Assert.Equal("https://schema.org/EventScheduled", (string)winterLd["eventStatus"]!);
    }

    [Fact]
    public async Task JsonLd_EventCancelledOrPostponedThroughTheWriteApi_SaysSo()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var cancelled = await CreateAsync(token, WriteClient.EventBody("JSON-LD rally to cancel", "2026-12-12T14:00:00", "2026-12-12T16:00:00"));
        var postponed = await CreateAsync(token, WriteClient.EventBody("JSON-LD rally to postpone", "2026-12-13T14:00:00", "2026-12-13T16:00:00"));

        using (var response = await client.SendJsonAsync(HttpMethod.Post, $"/api/events/{cancelled}/cancel", new { reason = "Permit refused" }, token))
        {
            await response.ExpectAsync(HttpStatusCode.OK);
        }

        using (var response = await client.SendJsonAsync(HttpMethod.Post, $"/api/events/{postponed}/postpone", new { reason = "Snowstorm" }, token))
        {
            await response.ExpectAsync(HttpStatusCode.OK);
        }

        Assert.Equal("https://schema.org/EventCancelled", (string)(await GetJsonLdAsync($"/api/events/{cancelled}"))["eventStatus"]!);
        Assert.Equal("https://schema.org/EventPostponed", (string)(await GetJsonLdAsync($"/api/events/{postponed}"))["eventStatus"]!);
    }

    [Fact]
    public async Task JsonLd_OnlineAndMixedEvents_HaveAVirtualLocationWithTheOnlineUrl()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var onlineBody = WriteClient.EventBody("JSON-LD email action", "2026-12-14T09:00:00", "2026-12-14T17:00:00");
        onlineBody["kind"] = "online-action";
        onlineBody.Remove("place");
        onlineBody["onlineUrl"] = "https://example.org/write-to-your-mp";
        var mixedBody = WriteClient.EventBody("JSON-LD streamed rally", "2026-12-15T14:00:00", "2026-12-15T16:00:00");
        mixedBody["onlineUrl"] = "https://example.org/live";

        var online = await GetJsonLdAsync($"/api/events/{await CreateAsync(token, onlineBody)}");
        var mixed = await GetJsonLdAsync($"/api/events/{await CreateAsync(token, mixedBody)}");

        Assert.Equal("https://schema.org/OnlineEventAttendanceMode", (string)online["eventAttendanceMode"]!);
        Assert.Equal("VirtualLocation", (string)online["location"]!["@type"]!);
        Assert.Equal("https://example.org/write-to-your-mp", (string)online["location"]!["url"]!);
        Assert.Equal("https://schema.org/MixedEventAttendanceMode", (string)mixed["eventAttendanceMode"]!);
        Assert.Equal(["Place", "VirtualLocation"], mixed.Array("location").Select(l => (string)l!["@type"]!));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    [InlineData("*/*")]
    [InlineData("application/ld+json;q=0.5, application/json")]
    [InlineData("text/html")]
    public async Task EventWithoutAskingForJsonLd_IsThePlainJsonAsBefore_AndVariesByAccept(string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events/2020-10-18-toronto-no-new-coup-in-bolivia-rally");
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Accept", response.Headers.Vary);
        Assert.Null(body["@context"]);
        Assert.Equal("2020-10-18-toronto-no-new-coup-in-bolivia-rally", (string)body["slug"]!);
        Assert.Equal("scheduled", (string)body["status"]!);
    }

    [Theory]
    [InlineData("application/ld+json")]
    [InlineData("application/ld+json, */*;q=0.8")]
    [InlineData("application/ld+json, */*")]
    [InlineData("application/json;q=0.5, application/ld+json")]
    public async Task AskingForJsonLd_GetsJsonLd(string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events/2020-10-18-toronto-no-new-coup-in-bolivia-rally");
        request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonLd, response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Accept", response.Headers.Vary);
    }

    [Fact]
    public async Task JsonLd_OfAnUnknownOrPrivateEvent_IsThe404ProblemAsInJson()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var body = WriteClient.EventBody("JSON-LD private meeting", "2026-12-16T19:00:00", "2026-12-16T21:00:00");
        body["visibility"] = "private";
        var hidden = await CreateAsync(token, body);

        foreach (var url in new[] { "/api/events/no-such-event", $"/api/events/{hidden}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(JsonLd));
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal(404, (int)problem["status"]!);
        }

        // The host's own token sees its private event, in either format.
        using var own = new HttpRequestMessage(HttpMethod.Get, $"/api/events/{hidden}");
        own.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(JsonLd));
        own.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var ownResponse = await client.SendAsync(own, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ownResponse.StatusCode);
    }

    [Fact]
    public async Task Atom_OfASeededOrganization_HasOneEntryPerTimelineAction_AndTheFeedMetadata()
    {
        var expected = await TimelineAsync("ilps-canada");
        var organization = await client.GetJsonAsync("/api/organizations/ilps-canada");
        Assert.NotEmpty(expected);

        using var response = await client.GetAsync("/feeds/organizations/ilps-canada.atom", TestContext.Current.CancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var feed = Load(bytes);
        var document = XDocument.Load(new MemoryStream(bytes));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.NotNull(response.Headers.ETag);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Equal(Atom + "feed", document.Root!.Name);

        Assert.Equal($"Organizer — {(string)organization["name"]!}", feed.Title.Text);
        Assert.StartsWith("tag:", feed.Id);
        Assert.NotEqual(default, feed.LastUpdatedTime);
        Assert.Equal("http://localhost/feeds/organizations/ilps-canada.atom", feed.Links.Single(l => l.RelationshipType == "self").Uri.ToString());
        Assert.Contains(feed.Links, l => l.RelationshipType == "alternate");
        Assert.Equal((string)organization["name"]!, feed.Authors.Single().Name);

        var entries = feed.Items.ToList();
        Assert.Equal(expected.Count, entries.Count);
        Assert.Equal(entries.Count, entries.Select(e => e.Id).Distinct().Count());
        Assert.Equal(expected.Select(i => (string)i["title"]!).Order(), entries.Select(e => e.Title.Text).Order());
        Assert.All(entries, e =>
        {
            Assert.StartsWith("tag:", e.Id);
            Assert.NotEqual(default, e.LastUpdatedTime);
            Assert.StartsWith("http://localhost/api/", e.Links.Single(l => l.RelationshipType == "alternate").Uri.ToString());
            Assert.False(string.IsNullOrWhiteSpace(((TextSyndicationContent)e.Summary).Text));
        });

        var assembly = entries.Single(e => e.Title.Text == "5th General Assembly of the International League of People’s Struggle (ILPS) in Canada");
        Assert.Equal("http://localhost/api/events/2022-06-01-ilps-in-canada-5th-general-assembly", assembly.Links.Single().Uri.ToString());
        Assert.Equal("Assembly · host · 2022-06-01 to 2022-06-04 · Ottawa", ((TextSyndicationContent)assembly.Summary).Text);
    }

    [Fact]
    public async Task Atom_AliasSlug_IsTheSameFeed_AndTheOrganizationJsonLinksToIt()
    {
        var canonical = Load(await client.GetByteArrayAsync("/feeds/organizations/ilps-canada.atom", TestContext.Current.CancellationToken));
        var alias = Load(await client.GetByteArrayAsync("/feeds/organizations/ilps-in-canada.atom", TestContext.Current.CancellationToken));
        var organization = await client.GetJsonAsync("/api/organizations/ilps-in-canada");

        Assert.Equal(canonical.Id, alias.Id);
        Assert.Equal(canonical.Items.Select(i => i.Id), alias.Items.Select(i => i.Id));
        Assert.Equal("http://localhost/feeds/organizations/ilps-canada.atom", alias.Links.Single(l => l.RelationshipType == "self").Uri.ToString());
        Assert.Equal("http://localhost/feeds/organizations/ilps-canada.atom", (string)organization["feed"]!["atom"]!);
    }

    [Theory]
    [InlineData("/feeds/organizations/no-such-group.atom")]
    [InlineData("/feeds/organizations/Not%20A%20Slug.atom")]
    public async Task Atom_UnknownOrganization_Is404Problem(string url)
    {
        var problem = await client.GetJsonAsync(url, HttpStatusCode.NotFound);

        Assert.Equal(404, (int)problem["status"]!);
    }

    [Fact]
    public async Task Atom_ShowsANewUpcomingAction_AtOnce_AndAnswers304ToItsValidator()
    {
        const string url = "/feeds/organizations/communist-party-of-canada.atom";
        using var before = await client.GetAsync(url, TestContext.Current.CancellationToken);
        var beforeFeed = Load(await before.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        using (var repeat = await ConditionalGetAsync(url, before.Headers.ETag!))
        {
            Assert.Equal(HttpStatusCode.NotModified, repeat.StatusCode);
        }

        var token = await client.TokenForAsync("communist-party-of-canada");
        var slug = await CreateAsync(token, WriteClient.EventBody("Atom: rally against the budget", "2027-03-06T13:00:00", "2027-03-06T15:00:00"));

        using var after = await ConditionalGetAsync(url, before.Headers.ETag!);
        var afterFeed = Load(await after.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(beforeFeed.Items.Count() + 1, afterFeed.Items.Count());
        Assert.Equal((await TimelineAsync("communist-party-of-canada")).Count, afterFeed.Items.Count());
        var entry = afterFeed.Items.Single(i => i.Title.Text == "Atom: rally against the budget");
        Assert.Equal($"http://localhost/api/events/{slug}", entry.Links.Single().Uri.ToString());
        Assert.Equal("Rally · host · 2027-03-06 13:00 UTC-05:00 · Matt Cohen Park, Toronto", ((TextSyndicationContent)entry.Summary).Text);
        Assert.True(afterFeed.LastUpdatedTime >= beforeFeed.LastUpdatedTime);
    }

    private async Task<JsonNode> GetJsonLdAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(JsonLd));
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} as JSON-LD answered {(int)response.StatusCode}: {body}");
        Assert.Equal(JsonLd, response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Accept", response.Headers.Vary);
        return JsonNode.Parse(body)!;
    }

    private async Task<string> CreateAsync(string token, JsonObject body)
    {
        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token);
        return (string)(await response.ExpectAsync(HttpStatusCode.Created))["slug"]!;
    }

    /// <summary>What the Atom feed should hold: the timeline's upcoming actions and its 50 most recent past ones.</summary>
    private async Task<List<JsonNode>> TimelineAsync(string organization)
    {
        var past = await client.GetJsonAsync($"/api/organizations/{organization}/actions?limit=50");
        var upcoming = await client.GetJsonAsync($"/api/organizations/{organization}/actions?when=upcoming&limit=50");
        return [.. upcoming.Array("items").Select(i => i!), .. past.Array("items").Select(i => i!)];
    }

    private async Task<HttpResponseMessage> ConditionalGetAsync(string url, EntityTagHeaderValue etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(etag);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static SyndicationFeed Load(byte[] bytes)
    {
        using var reader = XmlReader.Create(new MemoryStream(bytes), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        return SyndicationFeed.Load(reader);
    }

    private static void AssertIso8601(string value, bool allDay)
    {
        if (allDay)
        {
            Assert.True(DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _), $"'{value}' is not an ISO 8601 date");
        }
        else
        {
            Assert.True(
                DateTimeOffset.TryParseExact(value, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                $"'{value}' is not an ISO 8601 date-time with an offset");
        }
    }
}
