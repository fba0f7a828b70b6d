namespace Organizer.Api.IntegrationTests;

public sealed class EventFilterTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task Organization_ByAliasSlug_MatchesEveryRole()
    {
        var byAlias = (await client.GetAllEventsAsync("organization=latin-american-and-caribbean-solidarity-network")).Slugs();
        var byName = (await client.GetAllEventsAsync("organization=latin-american-and-caribbean-support-network")).Slugs();

        Assert.Equal(byName, byAlias);
        Assert.Equal(
            ["2019-11-12-toronto-emergency-rally-for-bolivia", "2019-11-12-toronto-march-to-freeland-office", "2020-10-18-toronto-no-new-coup-in-bolivia-rally"],
            byAlias.Order());
    }

    [Theory]
    [InlineData("city=montreal", new[] { "2019-11-12-montreal-picket-for-chilean-and-bolivian-peoples" })]
    [InlineData("city=MONTREAL&kind=picket", new[] { "2019-11-12-montreal-picket-for-chilean-and-bolivian-peoples" })]
    [InlineData("country=pe", new[] { "2022-12-07-protests-across-peru", "2023-07-17-third-takeover-of-lima" })]
    [InlineData("kind=rally", new[] { "2019-11-12-toronto-emergency-rally-for-bolivia", "2020-10-18-toronto-no-new-coup-in-bolivia-rally" })]
    [InlineData("kind=online-action", new[] { "2022-12-07-email-canadas-foreign-minister-on-peru" })]
    [InlineData("organization=cpso&kind=blockade", new[] { "2022-06-01-blockade-of-cansec-conference-entrance" })]
    [InlineData("from=2022-06-05&to=2022-11-30", new string[0])]
    [InlineData("status=cancelled", new string[0])]
    public async Task Filters_CombineAndMatchExactly(string query, string[] expected)
    {
        var slugs = (await client.GetAllEventsAsync(query)).Slugs();

        Assert.Equal(expected.Order(), slugs.Order());
    }

    [Fact]
    public async Task DateRange_IsInclusiveAndMatchesEventsThatSpanIt()
    {
        // The Third Takeover of Lima is dated to the week of 17–23 July 2023; a day inside that week finds it.
        Assert.Equal(["2023-07-17-third-takeover-of-lima"], (await client.GetAllEventsAsync("from=2023-07-20&to=2023-07-20")).Slugs());

        // The assembly runs June 1–4: its last day still matches, the day after does not.
        Assert.Contains("2022-06-01-ilps-in-canada-5th-general-assembly", (await client.GetAllEventsAsync("from=2022-06-04&to=2022-06-04")).Slugs());
        Assert.DoesNotContain("2022-06-01-ilps-in-canada-5th-general-assembly", (await client.GetAllEventsAsync("from=2022-06-05")).Slugs());

        var rallyDay = (await client.GetAllEventsAsync("from=2019-11-12&to=2019-11-12")).Slugs();
        Assert.Equal(4, rallyDay.Count);
    }

    [Fact]
    public async Task City_MatchesEveryPlaceInThatCity()
    {
        var ottawa = (await client.GetAllEventsAsync("city=ottawa")).Slugs();

        Assert.Contains("2019-11-12-ottawa-emergency-demonstration-for-bolivia", ottawa);
        Assert.Contains("2022-06-01-ilps-in-canada-5th-general-assembly", ottawa);
        Assert.Contains("2022-06-01-blockade-of-cansec-conference-entrance", ottawa);
        Assert.DoesNotContain("2019-11-12-toronto-emergency-rally-for-bolivia", ottawa);
    }

    [Fact]
    public async Task ListItems_CarryTheDocumentedShape()
    {
        var page = await client.GetJsonAsync("/api/events?organization=communist-party-of-canada");
        var rally = page.Array("items").Single()!;

        Assert.Equal("2020-10-18-toronto-no-new-coup-in-bolivia-rally", (string)rally["slug"]!);
        Assert.Equal("2020-10-18", (string)rally["start"]!);
        Assert.Equal("America/Toronto", (string)rally["timeZone"]!);
        Assert.Equal("day", (string)rally["datePrecision"]!);
        Assert.Equal("Toronto", (string)rally["place"]!["city"]!);
        Assert.Equal("CA", (string)rally["place"]!["countryCode"]!);
        Assert.Equal("host", (string)rally.Array("organizations")[0]!["role"]!);
        Assert.Null(rally["parent"]);
        Assert.Null(page["nextCursor"]);
    }
}
