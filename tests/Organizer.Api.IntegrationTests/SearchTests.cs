using System.Net;
using System.Text.Json.Nodes;

namespace Organizer.Api.IntegrationTests;

public sealed class SearchTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Picket = "2019-11-12-montreal-picket-for-chilean-and-bolivian-peoples";
    private const string Rally2020 = "2020-10-18-toronto-no-new-coup-in-bolivia-rally";

    private readonly HttpClient client = factory.CreateClient();

    /// <summary>
    /// The source spells the Chilean president "Piņera" (n with cedilla), others write "Piñera" or "Pinera"; the 2020
    /// rally's source writes "Áñez". Every spelling finds the record, and the snippet shows the source's own spelling.
    /// </summary>
    [Theory]
    [InlineData("Pinera", Picket, "«Piņera»")]
    [InlineData("Piñera", Picket, "«Piņera»")]
    [InlineData("PIŅERA", Picket, "«Piņera»")]
    [InlineData("Anez", Rally2020, "«Áñez»")]
    [InlineData("Áñez", Rally2020, "«Áñez»")]
    public async Task Search_FindsWordsWithOrWithoutAccents_AndHighlightsThem(string q, string slug, string highlighted)
    {
        var results = await SearchAsync($"q={Uri.EscapeDataString(q)}");

        var hit = Assert.Single(results, r => (string)r["slug"]! == slug);
        Assert.Equal("event", (string)hit["type"]!);
        Assert.Contains(highlighted, (string)hit["snippet"]!);
    }

    [Fact]
    public async Task Search_CoversStatementsResolutionsAndOrganizations_BestMatchFirst()
    {
        var boluarte = await SearchAsync("q=Boluarte");
        Assert.Equal("2022-12-joly-tweet-support-for-boluarte-government", (string)boluarte[0]["slug"]!);
        Assert.Equal("statement", (string)boluarte[0]["type"]!);
        var ranks = boluarte.Select(r => (double)r["rank"]!).ToList();
        Assert.Equal(ranks.OrderDescending(), ranks);

        var gaza = Assert.Single(await SearchAsync("q=Gaza"));
        Assert.Equal("resolution", (string)gaza["type"]!);
        Assert.Equal("2022-06-01-ilps-in-canada-5th-general-assembly", (string)gaza["event"]!);

        var network = await SearchAsync("q=solidarity%20network&type=organization");
        Assert.Equal("latin-american-and-caribbean-support-network", (string)Assert.Single(network)["slug"]!);
    }

    [Fact]
    public async Task Search_TypeFilter_KeepsOnlyThatType()
    {
        var statements = await SearchAsync("q=bolivia&type=statement");

        Assert.NotEmpty(statements);
        Assert.All(statements, r => Assert.Equal("statement", (string)r["type"]!));
        Assert.Contains(statements, r => (string)r["slug"]! == "2019-11-13-cupe-statement-on-bolivia");
    }

    [Fact]
    public async Task EventsQ_CombinesWithTheOtherFilters()
    {
        var inToronto = (await client.GetAllEventsAsync("q=bolivia&city=toronto")).Slugs();
        var anywhere = (await client.GetAllEventsAsync("q=bolivia")).Slugs();
        var accentless = (await client.GetAllEventsAsync("q=anez")).Slugs();

        Assert.Equal(
            ["2019-11-12-toronto-emergency-rally-for-bolivia", "2019-11-12-toronto-march-to-freeland-office", Rally2020],
            inToronto.Order());
        Assert.Contains("2019-11-12-ottawa-emergency-demonstration-for-bolivia", anywhere);
        Assert.Contains(Picket, anywhere);
        Assert.DoesNotContain("2022-06-01-ilps-in-canada-5th-general-assembly", anywhere);
        Assert.Equal([Rally2020], accentless);
    }

    [Fact]
    public async Task EventsQ_ListsTheBestMatchFirst_AndPagesByRelevanceWithoutRepeats()
    {
        var ranked = (await client.GetAllEventsAsync("q=bolivia")).Slugs();
        var searchOrder = (await SearchAsync("q=bolivia&type=event&limit=100")).Slugs();
        var pagedOneByOne = (await client.GetAllEventsAsync("q=bolivia", limit: 1)).Slugs();

        Assert.Equal(Rally2020, ranked[0]);
        Assert.Equal(searchOrder.Order(), ranked.Order());
        Assert.Equal(ranked, pagedOneByOne);
    }

    [Fact]
    public async Task EventsQ_SortDate_KeepsTheCalendarOrder()
    {
        var byDate = await client.GetAllEventsAsync("q=bolivia&sort=date");

        var starts = byDate.Select(e => (string)e["start"]!).ToList();
        Assert.Equal(starts.Order(StringComparer.Ordinal), starts);
        Assert.Equal(Rally2020, byDate[^1]["slug"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("sort=relevance", "sort")]
    [InlineData("q=bolivia&sort=newest", "sort")]
    [InlineData("q=bolivia&cursor=djF8NjM3MDkxMzE2MDAwMDAwMDAwfDRmMmIyYmM4MTM1ODg5MWQ5N2RlMjBhZjVhZThkNmM0", "cursor")]
    public async Task EventsSort_BadCombinations_AreA400NamingTheParameter(string query, string parameter)
    {
        var problem = await client.GetJsonAsync($"/api/events?{query}", HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]![parameter]);
    }

    [Fact]
    public async Task FeedQ_HoldsOnlyTheMatchingEvents()
    {
        var feed = await client.GetStringAsync("/feeds/events.ics?q=Pinera", TestContext.Current.CancellationToken);

        Assert.Equal(1, feed.Split("BEGIN:VEVENT").Length - 1);
        Assert.Contains("Chilean", feed);
    }

    [Theory]
    [InlineData("/api/search?q=")]
    [InlineData("/api/search?q=%20%20")]
    [InlineData("/api/search")]
    [InlineData("/api/events?q=%20")]
    [InlineData("/feeds/events.ics?q=")]
    public async Task AnEmptyQuery_IsA400NamingQ(string url)
    {
        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.NotNull(problem["errors"]!["q"]);
    }

    [Theory]
    [InlineData("q=a%26%7C!(")]
    [InlineData("q=%22unclosed")]
    [InlineData("q=-bolivia")]
    [InlineData("q=or")]
    public async Task QueryOperatorsAndStopWords_NeverFail(string query)
    {
        using var response = await client.GetAsync($"/api/search?{query}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Search_RanksEveryMatch_WhenThereAreFew()
    {
        var found = await client.GetJsonAsync("/api/search?q=bolivia");

        Assert.Null(found["rankedWithin"]);
        Assert.NotEmpty(found.Array("results"));
    }

    private async Task<List<JsonNode>> SearchAsync(string query)
    {
        var results = await client.GetJsonAsync($"/api/search?{query}");
        return results.Array("results").Select(r => r!).ToList();
    }
}
