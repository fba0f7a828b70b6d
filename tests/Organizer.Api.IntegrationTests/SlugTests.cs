using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// Groups name themselves in any script, and whatever the name, the record gets a slug that works; the server picks
/// free slugs itself, so two callers naming the same thing at the same moment both succeed.
/// </summary>
public sealed class SlugTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const int Racers = 20;
    private readonly HttpClient client = factory.CreateClient();

    [Theory]
    [InlineData("日本語", "ribenyu")]
    [InlineData("Москва за мир", "moskva-za-mir")]
    [InlineData("Ελληνική Αλληλεγγύη", "elliniki-allileggyi")]
    [InlineData("Łódź Solidarność", "lodz-solidarnosc")]
    public async Task OrganizationNamedInAnotherScript_GetsATransliteratedSlug_ThatResolves(string name, string slug)
    {
        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations", new { name }, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(slug, (string)created["slug"]!);
        Assert.Equal(name, (string)(await client.GetJsonAsync($"/api/organizations/{slug}"))["name"]!);
    }

    [Theory]
    [InlineData("!!!")]
    [InlineData("✊🏽")]
    [InlineData("🌹🌹")]
    public async Task OrganizationNamedWithoutLettersOrDigits_GetsAnIdSlug_ThatResolves(string name)
    {
        // Twice: the second used to find the first one's empty slug taken and answer 409.
        foreach (var _ in new[] { 1, 2 })
        {
            using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/organizations", new { name }, ApiFactory.AdminToken);
            var created = await response.ExpectAsync(HttpStatusCode.Created);

            var slug = (string)created["slug"]!;
            Assert.Matches("^[0-9a-f]{8}(-[0-9]+)?$", slug);
            Assert.Equal(name, (string)(await client.GetJsonAsync(response.Headers.Location!.OriginalString))["name"]!);
        }
    }

    [Fact]
    public async Task OrganizationWithAnAliasInAnotherScript_ResolvesByTheAlias()
    {
        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations",
            new { name = "Ukrainian Peace Movement", aliases = new[] { new { name = "Український пацифістський рух" }, new { name = "☮" } } }, ApiFactory.AdminToken))
            .ExpectAsync(HttpStatusCode.Created);

        var aliases = created.Array("aliases").Select(a => (string)a!["slug"]!).ToList();
        Assert.Contains("ukrainskiy-patsifistskiy-rukh", aliases);
        Assert.All(aliases, a => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", a));
        foreach (var alias in aliases)
        {
            Assert.Equal("ukrainian-peace-movement", (string)(await client.GetJsonAsync($"/api/organizations/{alias}"))["slug"]!);
        }
    }

    [Theory]
    [InlineData("\ufffe")]
    [InlineData("\uffff")]
    [InlineData("\U0001F6A9")]
    public async Task NameWithANoncharacterOrEmoji_IsNeverAServerError(string text)
    {
        // Input rules may refuse noncharacters (400); making a slug of them must never be what fails.
        var token = await client.TokenForAsync("communist-party-of-canada");
        var body = WriteClient.EventBody($"Rally {text}", "2026-12-22T14:00:00", "2026-12-22T16:00:00");
        var writes = new[]
        {
            await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token),
            await client.SendJsonAsync(HttpMethod.Post, "/api/places", new { name = $"Hall {text}", city = "Ottawa", countryCode = "CA" }, token),
            await client.SendJsonAsync(HttpMethod.Post, "/api/organizations", new { name = $"Group {text}" }, ApiFactory.AdminToken),
            await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/communist-party-of-canada/statements", new { title = $"On {text}", issuedOn = "2026-11-23", text = "…" }, token),
        };

        foreach (var response in writes)
        {
            using (response)
            {
                Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadRequest,
                    $"{response.RequestMessage!.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    // An organization's own place is not public yet; its token reads it.
                    await (await client.SendJsonAsync(HttpMethod.Get, response.Headers.Location!.OriginalString, null, token)).ExpectAsync(HttpStatusCode.OK);
                }
            }
        }
    }

    [Fact]
    public async Task SecondOrganizationWithTheSameName_GetsTheNextFreeSlug()
    {
        var first = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations", new { name = "Peace Council" }, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.Created);
        var second = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations", new { name = "Peace Council" }, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("peace-council", (string)first["slug"]!);
        Assert.Equal("peace-council-2", (string)second["slug"]!);
    }

    [Theory]
    [InlineData("東京", "Tōkyō", "dongjing-tokyo")]
    [InlineData("Дом профсоюзов", "Москва", "dom-profsoyuzov-moskva")]
    [InlineData("!!!", "???", null)]
    public async Task PlaceNamedInAnyScript_GetsASlug_ThatResolves(string name, string city, string? slug)
    {
        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/places", new { name, city, countryCode = "JP" }, ApiFactory.AdminToken);
        var created = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Matches(slug ?? "^[0-9a-f]{8}$", (string)created["slug"]!);
        Assert.Equal(name, (string)(await client.GetJsonAsync(response.Headers.Location!.OriginalString))["name"]!);
    }

    [Theory]
    [InlineData("日本語の集会", "2026-12-05-ribenyunojihui")]
    [InlineData("Митинг мира", "2026-12-05-miting-mira")]
    [InlineData("✊✊✊", null)]
    public async Task EventTitledInAnyScript_WithANewPlaceNamedInAnyScript_GetsSlugsThatResolve(string title, string? slug)
    {
        var body = WriteClient.EventBody(title, "2026-12-05T14:00:00", "2026-12-05T16:00:00");
        body.Remove("place");
        body["newPlace"] = new JsonObject { ["name"] = "🏛", ["city"] = "…", ["countryCode"] = "CA" };

        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, await client.TokenForAsync("communist-party-of-canada"));
        var created = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Matches(slug ?? "^2026-12-05-[0-9a-f]{8}$", (string)created["slug"]!);
        Assert.Equal(title, (string)(await client.GetJsonAsync(response.Headers.Location!.OriginalString))["title"]!);
        var place = (string)created["place"]!["slug"]!;
        Assert.Matches("^[0-9a-f]{8}$", place);
        await client.GetJsonAsync($"/api/places/{place}");
    }

    [Fact]
    public async Task NewPlace_IsNotKept_WhenItsEventIsRefused()
    {
        var body = WriteClient.EventBody("Session of a missing assembly", "2026-12-05T14:00:00", "2026-12-05T16:00:00");
        body.Remove("place");
        body["newPlace"] = new JsonObject { ["name"] = "Orphan Hall", ["city"] = "Regina", ["countryCode"] = "CA" };
        body["parent"] = "2099-01-01-no-such-assembly";

        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, await client.TokenForAsync("communist-party-of-canada"))).ExpectAsync(HttpStatusCode.BadRequest);

        await using var scope = factory.CreateScope(out var db);
        Assert.False(await db.Places.AnyAsync(p => p.Name == "Orphan Hall", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task EventCreatedInItsOwnTransaction_RefreshesACachedFeed()
    {
        const string feed = "/feeds/organizations/communist-party-of-canada.ics";
        var token = await client.TokenForAsync("communist-party-of-canada"); // Before the feed is cached: this write evicts too.
        using (var cached = await client.GetAsync(feed, TestContext.Current.CancellationToken))
        {
            Assert.DoesNotContain("Feed refresh rally", await cached.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        var body = WriteClient.EventBody("Feed refresh rally", "2026-12-21T14:00:00", "2026-12-21T16:00:00");
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created);

        Assert.Contains("Feed refresh rally", await client.GetStringAsync(feed, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task StatementTitledInAnotherScript_GetsATransliteratedSlug()
    {
        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/cupe/statements",
            new { title = "Заявление о мире", issuedOn = "2026-11-21", text = "…" }, await client.TokenForAsync("cupe"))).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("2026-11-21-canadian-union-of-public-employees-zayavlenie-o-mire", (string)created["slug"]!);
    }

    [Fact]
    public async Task IdenticalEventsPostedAtOnce_FromTwoOrganizations_AllGetDistinctSlugs()
    {
        var tokens = new[] { await client.TokenForAsync("communist-party-of-canada"), await client.TokenForAsync("cupe") };
        var body = WriteClient.EventBody("Simultaneous rally", "2026-12-19T14:00:00", "2026-12-19T16:00:00");
        body.Remove("organizations");

        var slugs = await RaceAsync(i => client.SendJsonAsync(HttpMethod.Post, "/api/events", body, tokens[i % 2]));

        Assert.Contains("2026-12-19-simultaneous-rally", slugs);
        Assert.Contains($"2026-12-19-simultaneous-rally-{Racers}", slugs);
    }

    [Fact]
    public async Task IdenticalPlacesPostedAtOnce_AllGetDistinctSlugs()
    {
        var token = await client.TokenForAsync("cupe");

        var slugs = await RaceAsync(_ => client.SendJsonAsync(HttpMethod.Post, "/api/places", new { name = "Union Hall", city = "Sudbury", countryCode = "CA" }, token));

        Assert.Contains("union-hall-sudbury", slugs);
    }

    [Fact]
    public async Task EventsWithTheSameNewPlacePostedAtOnce_AllGetDistinctPlaces()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");

        var events = await RaceAsync(i =>
        {
            var body = WriteClient.EventBody($"Teach-in {i}", "2026-12-20T14:00:00", "2026-12-20T16:00:00");
            body.Remove("place");
            body["newPlace"] = new JsonObject { ["name"] = "Legion Hall", ["city"] = "Thunder Bay", ["countryCode"] = "CA" };
            return client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token);
        });

        await using var scope = factory.CreateScope(out var db);
        var places = await db.Events.Where(e => events.Contains(e.Slug)).Select(e => e.Place!.Slug).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(Racers, places.Distinct().Count());
        Assert.Contains("legion-hall-thunder-bay", places);
    }

    [Fact]
    public async Task IdenticalOrganizationsAndStatementsPostedAtOnce_AllGetDistinctSlugs()
    {
        var organizations = await RaceAsync(_ => client.SendJsonAsync(HttpMethod.Post, "/api/organizations", new { name = "Twin Committee" }, ApiFactory.AdminToken));
        Assert.Contains("twin-committee", organizations);

        var cupe = await client.TokenForAsync("cupe");
        var statements = await RaceAsync(_ => client.SendJsonAsync(HttpMethod.Post, "/api/organizations/cupe/statements",
            new { title = "On the strike", issuedOn = "2026-11-22", text = "…" }, cupe));
        Assert.Contains("2026-11-22-canadian-union-of-public-employees-on-the-strike", statements);
    }

    /// <summary>Sends <see cref="Racers"/> requests at once; every one must be created, each under its own slug.</summary>
    private static async Task<List<string>> RaceAsync(Func<int, Task<HttpResponseMessage>> send)
    {
        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, Racers).Select(async i =>
        {
            await start.WaitAsync(TestContext.Current.CancellationToken);
            using var response = await send(i);
            return (string)(await response.ExpectAsync(HttpStatusCode.Created))["slug"]!;
        }).ToList();
        start.Release(Racers);

        var slugs = (await Task.WhenAll(requests)).ToList();
        Assert.Equal(Racers, slugs.Distinct().Count());
        return slugs;
    }
}
