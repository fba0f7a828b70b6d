using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Organizer.Api.IntegrationTests;

/// <summary>An organizer creates, changes, postpones and cancels an action with a token, and subscribers see it.</summary>
public sealed class WriteApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task OrganizationToken_CreatesAnEvent_ThatItsFeedShows()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");

        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody(), token);

        var created = await response.ExpectAsync(HttpStatusCode.Created);
        var slug = (string)created["slug"]!;
        Assert.Equal("2026-12-05-emergency-rally-hands-off-bolivia", slug);
        Assert.Equal($"/api/events/{slug}", response.Headers.Location!.OriginalString);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("2026-12-05T14:00:00-05:00", (string)created["start"]!);
        Assert.Equal("America/Toronto", (string)created["timeZone"]!);
        var roles = created.Array("organizations").ToDictionary(o => (string)o!["slug"]!, o => (string)o!["role"]!);
        Assert.Equal("host", roles["communist-party-of-canada"]);
        Assert.Equal("co-organizer", roles["young-communist-league-of-canada"]);

        var feed = await IcalJs.ParseAsync(await client.GetStringAsync("/feeds/organizations/communist-party-of-canada.ics", TestContext.Current.CancellationToken));
        var vevent = feed.Array("events").Single(e => (string)e!["summary"]! == "Emergency rally: hands off Bolivia")!;
        Assert.Equal("2026-12-05T19:00:00Z", (string)vevent["start"]!);
        Assert.Equal(0, (int)vevent["sequence"]!);
    }

    [Fact]
    public async Task AllDayEvent_TakesInclusiveDates_AndANewPlace()
    {
        var token = await client.TokenForAsync("cpso");
        var body = WriteClient.EventBody("Weekend teach-in on arms exports");
        body["kind"] = "teach-in";
        body["allDay"] = true;
        body["start"] = "2026-12-12";
        body["end"] = "2026-12-13";
        body.Remove("place");
        body.Remove("timeZone");
        body["newPlace"] = new JsonObject { ["name"] = "Community Hall", ["city"] = "Hamilton", ["countryCode"] = "ca", ["timeZone"] = "America/Toronto" };

        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created);

        Assert.True((bool)created["allDay"]!);
        Assert.Equal("2026-12-13", (string)created["end"]!);
        Assert.Equal("Hamilton", (string)created["place"]!["city"]!);
        Assert.Equal("CA", (string)created["place"]!["countryCode"]!);
        var feed = await IcalJs.ParseAsync(await client.GetStringAsync($"/api/events/{created["slug"]}.ics", TestContext.Current.CancellationToken));
        Assert.Equal("2026-12-14", (string)feed.Array("events")[0]!["end"]!);
    }

    [Fact]
    public async Task Replace_WithCurrentETag_Succeeds_AndAStaleETagIs412()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        using var create = await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody("Picket for Peru", "2026-12-06T12:00:00", "2026-12-06T13:00:00"), token);
        var slug = (string)(await create.ExpectAsync(HttpStatusCode.Created))["slug"]!;
        var etag = create.Headers.ETag!.Tag;

        var changed = WriteClient.EventBody("Picket for Peru", "2026-12-06T12:30:00", "2026-12-06T13:30:00");
        using var put = await client.SendJsonAsync(HttpMethod.Put, $"/api/events/{slug}", changed, token, ifMatch: etag);
        var updated = await put.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("2026-12-06T12:30:00-05:00", (string)updated["start"]!);
        Assert.Equal(1, (int)updated["sequence"]!);
        Assert.NotEqual(etag, put.Headers.ETag!.Tag);

        using var stale = await client.SendJsonAsync(HttpMethod.Put, $"/api/events/{slug}", WriteClient.EventBody("Picket for Peru"), token, ifMatch: etag);
        var problem = await stale.ExpectAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(412, (int)problem["status"]!);
    }

    [Fact]
    public async Task MergePatch_ChangesOnlyWhatItNames_AndRaisesTheFeedSequence()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var slug = (string)(await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody("Vigil for the disappeared", "2026-12-07T18:00:00", "2026-12-07T19:00:00"), token)).ExpectAsync(HttpStatusCode.Created))["slug"]!;

        using var patch = await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}", new { title = "Candlelight vigil for the disappeared", demands = (string[]?)null }, token, "application/merge-patch+json");

        var patched = await patch.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Candlelight vigil for the disappeared", (string)patched["title"]!);
        Assert.Empty(patched.Array("demands"));
        Assert.Equal("Called the day after the coup was announced.", (string)patched["description"]!);
        Assert.Contains(patched.Array("organizations"), o => (string)o!["slug"]! == "young-communist-league-of-canada");
        var feed = await IcalJs.ParseAsync(await client.GetStringAsync($"/api/events/{slug}.ics", TestContext.Current.CancellationToken));
        Assert.Equal(1, (int)feed.Array("events")[0]!["sequence"]!);

        using var wrongType = await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}", new { title = "x" }, token, "application/json");
        await wrongType.ExpectAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task PostponeThenCancel_ShowInTheFeedAsTentativeThenCancelled()
    {
        var token = await client.TokenForAsync("young-communist-league-of-canada");
        var body = WriteClient.EventBody("March on Parliament", "2026-12-08T11:00:00", "2026-12-08T14:00:00");
        body["organizations"] = new JsonArray(new JsonObject { ["slug"] = "communist-party-of-canada", ["role"] = "endorser" });
        var slug = (string)(await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created))["slug"]!;

        var postponed = await (await client.SendJsonAsync(HttpMethod.Post, $"/api/events/{slug}/postpone", new { reason = "Snowstorm" }, token)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("postponed", (string)postponed["status"]!);
        var tentative = (await IcalJs.ParseAsync(await client.GetStringAsync($"/api/events/{slug}.ics", TestContext.Current.CancellationToken))).Array("events")[0]!;
        Assert.Equal("TENTATIVE", (string)tentative["status"]!);

        using var noReason = await client.SendJsonAsync(HttpMethod.Post, $"/api/events/{slug}/cancel", new { }, token);
        Assert.NotNull((await noReason.ExpectAsync(HttpStatusCode.BadRequest))["errors"]!["reason"]);

        var cancelled = await (await client.SendJsonAsync(HttpMethod.Post, $"/api/events/{slug}/cancel", new { reason = "Permit withdrawn" }, token)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", (string)cancelled["status"]!);
        var vevent = (await IcalJs.ParseAsync(await client.GetStringAsync("/feeds/organizations/young-communist-league-of-canada.ics", TestContext.Current.CancellationToken)))
            .Array("events").Single(e => (string)e!["summary"]! == "March on Parliament")!;
        Assert.Equal("CANCELLED", (string)vevent["status"]!);
        Assert.Equal((int)tentative["sequence"]! + 1, (int)vevent["sequence"]!);
    }

    [Fact]
    public async Task Delete_IsForTheAdmin_AndTheFeedsLastModifiedMovesForward()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var slug = (string)(await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody("Mistaken entry", "2026-12-09T10:00:00", "2026-12-09T11:00:00"), token)).ExpectAsync(HttpStatusCode.Created))["slug"]!;
        using var before = await client.GetAsync("/feeds/all.ics", TestContext.Current.CancellationToken);

        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}", null, token)).ExpectAsync(HttpStatusCode.Forbidden);
        await Task.Delay(1100, TestContext.Current.CancellationToken);
        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}", null, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.NoContent);

        await client.GetJsonAsync($"/api/events/{slug}", HttpStatusCode.NotFound);
        using var after = await client.GetAsync("/feeds/all.ics", TestContext.Current.CancellationToken);
        Assert.True(after.Content.Headers.LastModified > before.Content.Headers.LastModified);
    }

    [Fact]
    public async Task ConcurrentUpdatesWithTheSameETag_ExactlyOneWins()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        using var create = await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody("Contested title", "2026-12-10T10:00:00", "2026-12-10T11:00:00"), token);
        var slug = (string)(await create.ExpectAsync(HttpStatusCode.Created))["slug"]!;
        var etag = create.Headers.ETag!.Tag;

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            client.SendJsonAsync(HttpMethod.Put, $"/api/events/{slug}", WriteClient.EventBody($"Contested title {i}", "2026-12-10T10:00:00", "2026-12-10T11:00:00"), token, ifMatch: etag)));

        Assert.Equal(1, attempts.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(attempts.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.PreconditionFailed, r.StatusCode));
        var winner = attempts.Single(r => r.StatusCode == HttpStatusCode.OK);
        var stored = await client.GetJsonAsync($"/api/events/{slug}");
        Assert.Equal((string)(await winner.ExpectAsync(HttpStatusCode.OK))["title"]!, (string)stored["title"]!);
    }

    [Fact]
    public async Task ResolutionsAndStatements_AreRecordedByTheirOrganization()
    {
        var ilps = await client.TokenForAsync("ilps-canada");
        var resolution = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events/2022-06-01-ilps-in-canada-5th-general-assembly/resolutions",
            new { title = "Solidarity with Peru", text = "Calls on the ILPS to support the Peruvian people's demand for new elections." }, ilps)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(11, (int)resolution["ordinal"]!);
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events/2020-10-18-toronto-no-new-coup-in-bolivia-rally/resolutions",
            new { title = "x", text = "y" }, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.Conflict);

        var cupe = await client.TokenForAsync("cupe");
        var statement = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/cupe/statements",
            new { title = "CUPE on Peru", issuedOn = "2026-11-20", text = "CUPE stands with the people of Peru." }, cupe)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("canadian-union-of-public-employees", (string)statement["organizations"]![0]!["slug"]!);
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/communist-party-of-canada/statements",
            new { title = "Not ours", issuedOn = "2026-11-20", text = "…" }, cupe)).ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Admin_CreatesAndPatchesOrganizations_AndSlugsNeverCollide()
    {
        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations",
            new { name = "Hamilton Peace Action", kind = "movement", aliases = new[] { new { name = "HPA", slug = "hpa" } } }, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("hamilton-peace-action", (string)created["slug"]!);
        Assert.Equal("hamilton-peace-action", (string)(await client.GetJsonAsync("/api/organizations/hpa"))["slug"]!);

        var patched = await (await client.SendJsonAsync(HttpMethod.Patch, "/api/organizations/hpa", new { homeCity = "Hamilton", homeCountryCode = "CA" }, ApiFactory.AdminToken, "application/merge-patch+json")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Hamilton", (string)patched["homeCity"]!);
        Assert.Equal("HPA", (string)patched["aliases"]![0]!["name"]!);

        await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations", new { name = "Copycat", slug = "cupe" }, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.Conflict);
        var token = await client.TokenForAsync("hpa");
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations", new { name = "Self-made" }, token)).ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task EveryWrite_IsAudited_WithTheTokenThatMadeIt()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var slug = (string)(await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody("Audited rally", "2026-12-11T10:00:00", "2026-12-11T11:00:00"), token)).ExpectAsync(HttpStatusCode.Created))["slug"]!;
        var tokenId = Guid.ParseExact(token.Split('.')[0], "N");

        await using var scope = factory.CreateScope(out var db);
        var entry = await db.AuditEntries.SingleAsync(a => a.EntityKey == slug, TestContext.Current.CancellationToken);
        Assert.Equal("create", entry.Action);
        Assert.Equal(tokenId, entry.TokenId);
    }
}
