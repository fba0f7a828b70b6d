using System.Net;
using System.Text.Json.Nodes;
using Organizer.Domain.Events;

namespace Organizer.Api.IntegrationTests;

public sealed class TimelineTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task AnOrganizationThatHostedAndCoOrganized_ShowsEachEventWithItsRole_NewestFirst()
    {
        var items = await client.AllActionsAsync("latin-american-and-caribbean-support-network");

        Assert.Equal(
            [
                ("2020-10-18-toronto-no-new-coup-in-bolivia-rally", "co-organizer"),
                ("2019-11-12-toronto-march-to-freeland-office", "host"),
                ("2019-11-12-toronto-emergency-rally-for-bolivia", "host"),
            ],
            items.Select(i => ((string)i["slug"]!, (string)i["role"]!)).OrderByDescending(i => i.Item1).ToList());
        Assert.Equal(items.Select(i => (string)i["date"]!).OrderDescending(), items.Select(i => (string)i["date"]!));
        var rally = items.Single(i => (string)i["slug"]! == "2020-10-18-toronto-no-new-coup-in-bolivia-rally");
        Assert.Equal("event", (string)rally["type"]!);
        Assert.Equal("rally", (string)rally["kind"]!);
        Assert.Equal("Matt Cohen Park", (string)rally["place"]!["name"]!);
        Assert.Equal("Toronto", (string)rally["place"]!["city"]!);
        Assert.True((bool)rally["allDay"]!);
        Assert.Equal("2020-10-18", (string)rally["start"]!);
    }

    [Fact]
    public async Task AnAliasSlug_ServesTheSameTimeline()
    {
        var byName = await client.AllActionsAsync("latin-american-and-caribbean-support-network");
        var byAlias = await client.AllActionsAsync("latin-american-and-caribbean-solidarity-network");

        Assert.Equal(byName.Slugs(), byAlias.Slugs());
    }

    /// <summary>
    /// The seed file is the statement of what each organization did: every event it took part in (in its role), every
    /// statement it issued, every resolution adopted at an assembly it took part in — nothing more, nothing less.
    /// </summary>
    [Theory]
    [MemberData(nameof(SeedFile.OrganizationSlugs), MemberType = typeof(SeedFile))]
    public async Task EverySeededOrganization_HasExactlyTheActionsTheSourcesGiveIt(string organization)
    {
        var expected = new List<(string Type, string Slug, string Role)>();
        var eventsTakenPart = new Dictionary<string, string>();
        foreach (var e in SeedFile.Section("events"))
        {
            foreach (var p in e["organizations"]!.AsArray().Where(p => (string)p!["slug"]! == organization))
            {
                eventsTakenPart[(string)e["slug"]!] = (string)p!["role"]!;
                expected.Add(("event", (string)e["slug"]!, (string)p["role"]!));
            }
        }

        expected.AddRange(SeedFile.Section("statements")
            .Where(s => s["organizations"]!.AsArray().Any(o => (string)o! == organization))
            .Select(s => ("statement", (string)s["slug"]!, "issuer")));
        expected.AddRange(SeedFile.Section("resolutions")
            .Where(r => eventsTakenPart.ContainsKey((string)r["event"]!))
            .Select(r => ("resolution", $"{r["event"]}#{r["ordinal"]}", eventsTakenPart[(string)r["event"]!])));

        // The seeded record is all in the past; upcoming must be empty, and together they are the whole record.
        var past = await client.AllActionsAsync(organization);
        var upcoming = await client.AllActionsAsync(organization, "when=upcoming");

        Assert.Empty(upcoming);
        Assert.Equal(
            expected.Order().ToList(),
            past.Select(i => ((string)i["type"]!, (string)i["slug"]!, (string)i["role"]!)).Order().ToList());
        Assert.Equal(past.Count, past.Slugs().Distinct().Count());
    }

    [Fact]
    public async Task ResolutionsAdoptedAtAnAssembly_AppearForItsParticipants_WithTheAssemblyNamed()
    {
        var resolutions = await client.AllActionsAsync("cpso", "type=resolution");
        var seeded = SeedFile.Section("resolutions").Where(r => (string)r["event"]! == "2022-06-01-ilps-in-canada-5th-general-assembly").ToList();

        Assert.Equal(seeded.Count, resolutions.Count);
        Assert.All(resolutions, r =>
        {
            Assert.Equal("resolution", (string)r["type"]!);
            Assert.Equal("2022-06-01-ilps-in-canada-5th-general-assembly", (string)r["event"]!);
            Assert.Equal("participant", (string)r["role"]!);
            Assert.Equal("2022-06-01", (string)r["date"]!);
        });
        // Adopted in order, so newest first is the last-numbered first.
        Assert.Equal(
            seeded.OrderByDescending(r => (int)r["ordinal"]!).Select(r => (string)r["title"]!),
            resolutions.Select(r => (string)r["title"]!));
    }

    [Fact]
    public async Task StatementsAreInTheIssuersTimeline_AndTheFiltersNarrowIt()
    {
        var amnestyCanada = await client.AllActionsAsync("amnesty-international-canada");
        var statement = Assert.Single(amnestyCanada);
        Assert.Equal("statement", (string)statement["type"]!);
        Assert.Equal("issuer", (string)statement["role"]!);
        Assert.Equal("2023-amnesty-canada-quebec-stop-arms-exports-to-peru", (string)statement["slug"]!);

        Assert.Empty(await client.AllActionsAsync("amnesty-international-canada", "type=event"));
        Assert.Single(await client.AllActionsAsync("amnesty-international-canada", "role=issuer"));

        var ilps = await client.AllActionsAsync("ilps-canada", "type=event&kind=panel");
        Assert.Equal(3, ilps.Count);
        Assert.All(ilps, i => Assert.Equal("panel", (string)i["kind"]!));

        var onTheFirstDay = await client.AllActionsAsync("ilps-canada", "type=event&from=2022-06-01&to=2022-06-01");
        Assert.Equal(
            ["2022-06-01-blockade-of-cansec-conference-entrance", "2022-06-01-ilps-in-canada-5th-general-assembly", "2022-06-01-ottawa-march-against-arms-trade"],
            onTheFirstDay.Slugs().Order());

        var hosted = await client.AllActionsAsync("latin-american-and-caribbean-support-network", "role=host");
        Assert.Equal(2, hosted.Count);
        Assert.All(hosted, i => Assert.Equal("host", (string)i["role"]!));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public async Task WalkingPages_YieldsTheWholeTimelineOnceInOrder(int limit)
    {
        var whole = (await client.GetJsonAsync("/api/organizations/ilps-canada/actions?limit=200")).Array("items").Select(i => i!).Slugs();

        var paged = (await client.AllActionsAsync("ilps-canada", $"limit={limit}")).Slugs();

        Assert.Equal(whole, paged);
        Assert.Equal(20, whole.Count); // The assembly, its nine sessions and its ten resolutions.
    }

    [Theory]
    [InlineData("when=soon", "when")]
    [InlineData("from=2020-13-01", "from")]
    [InlineData("to=yesterday", "to")]
    [InlineData("kind=party", "kind")]
    [InlineData("role=boss", "role")]
    [InlineData("type=tweet", "type")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=dDF8MXwxfHg", "cursor")]
    public async Task ABadFilter_IsA400NamingTheParameter(string query, string parameter)
    {
        var problem = await client.GetJsonAsync($"/api/organizations/ilps-canada/actions?{query}", HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]![parameter]);
    }

    [Theory]
    [InlineData("/api/organizations/no-such-organization/actions")]
    [InlineData("/api/organizations/no-such-organization/summary")]
    public async Task AnUnknownOrganization_IsA404Problem(string url)
    {
        var problem = await client.GetJsonAsync(url, HttpStatusCode.NotFound);

        Assert.Equal(404, (int)problem["status"]!);
    }

    [Fact]
    public async Task Summary_CountsByYearAndKind_AndNamesFirstLastAndPartners()
    {
        var summary = await client.GetJsonAsync("/api/organizations/latin-american-and-caribbean-solidarity-network/summary");

        Assert.Equal("latin-american-and-caribbean-support-network", (string)summary["organization"]!);
        Assert.Equal(3, (int)summary["events"]!);
        Assert.Equal(0, (int)summary["statements"]!);
        Assert.Equal(
            [(2019, 2), (2020, 1)],
            summary.Array("byYear").Select(y => ((int)y!["year"]!, (int)y["events"]!)));
        Assert.Equal(
            [("rally", 2), ("march", 1)],
            summary.Array("byKind").Select(k => ((string)k!["kind"]!, (int)k["count"]!)));
        Assert.Equal("2019-11-12", (string)summary["first"]!["date"]!);
        Assert.Equal("2020-10-18-toronto-no-new-coup-in-bolivia-rally", (string)summary["last"]!["slug"]!);
        Assert.Equal(
            ["communist-party-of-canada", "toronto-association-for-peace-and-solidarity", "young-communist-league-of-canada"],
            summary.Array("actsMostOftenWith").Select(p => (string)p!["slug"]!).Order());
        Assert.All(summary.Array("actsMostOftenWith"), p => Assert.Equal(1, (int)p!["sharedEvents"]!));
    }

    [Fact]
    public async Task Summary_OfAnIssuerOfStatements_CountsThemAndOrdersPartnersByEventsShared()
    {
        var gac = await client.GetJsonAsync("/api/organizations/global-affairs/summary");
        Assert.Equal(0, (int)gac["events"]!);
        Assert.Equal(3, (int)gac["statements"]!);
        Assert.Equal("2022-12-01", (string)gac["first"]!["date"]!);
        Assert.Equal("statement", (string)gac["first"]!["type"]!);
        Assert.Equal("2023-05-canada-en-peru-tweet-electoral-institutions", (string)gac["last"]!["slug"]!);

        var ilps = await client.GetJsonAsync("/api/organizations/ilps-canada/summary");
        var partner = Assert.Single(ilps.Array("actsMostOftenWith"));
        Assert.Equal("cpso", (string)partner!["slug"]!);
        Assert.Equal(3, (int)partner["sharedEvents"]!);
    }
}

/// <summary>Timelines while organizations keep acting: these tests add events, so they have a database of their own.</summary>
public sealed class TimelineUnderWritesTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task ActionsAddedBetweenPages_NeitherSkipNorRepeatTheOthers()
    {
        const string Org = "young-communist-league-of-canada";
        var before = (await client.AllActionsAsync(Org)).Slugs();
        Assert.Single(before);
        await AddEventAsync(Org, "timeline-between-a", new DateOnly(2018, 3, 1));
        await AddEventAsync(Org, "timeline-between-b", new DateOnly(2017, 3, 1));
        before = (await client.AllActionsAsync(Org)).Slugs();

        var page = await client.GetJsonAsync($"/api/organizations/{Org}/actions?limit=1");
        var seen = page.Array("items").Select(i => i!).Slugs();

        // Newer than everything seen (must not appear: it sorts before the cursor), at the same instant as the last item
        // seen (sorts by id, either side), and older than everything (must appear).
        await AddEventAsync(Org, "timeline-inserted-newest", new DateOnly(2025, 1, 1));
        await AddEventAsync(Org, "timeline-inserted-same-day", new DateOnly(2020, 10, 18));
        await AddEventAsync(Org, "timeline-inserted-oldest", new DateOnly(2001, 1, 1));

        var cursor = (string?)page["nextCursor"];
        while (cursor is not null)
        {
            page = await client.GetJsonAsync($"/api/organizations/{Org}/actions?limit=1&cursor={Uri.EscapeDataString(cursor)}");
            seen.AddRange(page.Array("items").Select(i => i!).Slugs());
            cursor = (string?)page["nextCursor"];
        }

        Assert.Equal(before, seen.Where(before.Contains));
        Assert.Contains("timeline-inserted-oldest", seen);
        Assert.DoesNotContain("timeline-inserted-newest", seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task UpcomingActions_AreSeparateFromThePast_SoonestFirst()
    {
        const string Org = "toronto-association-for-peace-and-solidarity";
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await AddEventAsync(Org, "timeline-upcoming-later", today.AddDays(60));
        await AddEventAsync(Org, "timeline-upcoming-sooner", today.AddDays(30));

        var upcoming = (await client.AllActionsAsync(Org, "when=upcoming")).Slugs();
        var past = (await client.AllActionsAsync(Org)).Slugs();

        Assert.Equal(["timeline-upcoming-sooner", "timeline-upcoming-later"], upcoming);
        Assert.Equal(["2020-10-18-toronto-no-new-coup-in-bolivia-rally"], past);
    }

    private async Task AddEventAsync(string organization, string slug, DateOnly day)
    {
        await using var scope = factory.CreateScope(out var db);
        var organizationId = db.Organizations.Single(o => o.Slug == organization).Id;
        var added = new Event
        {
            Slug = slug,
            Title = slug,
            Kind = EventKind.Rally,
            Schedule = EventSchedule.AllDayRange(day, day, "America/Toronto"),
        };
        added.Participations.Add(new EventParticipation { OrganizationId = organizationId, Role = ParticipationRole.CoOrganizer });
        db.Events.Add(added);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
