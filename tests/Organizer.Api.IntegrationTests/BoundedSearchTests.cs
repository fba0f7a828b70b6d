using System.Globalization;
using System.Net;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// A word found in more events than are ranked is ranked within the matches nearest to today, and the answer says so.
/// Three are ranked here (thousands by default), so five events show the rule.
/// </summary>
public sealed class BoundedSearchTests(BoundedSearchTests.Factory factory) : IClassFixture<BoundedSearchTests.Factory>
{
    public sealed class Factory : ApiFactory
    {
        protected override IEnumerable<(string Key, string Value)> Settings => [.. base.Settings, ("Organizer:Search:RankWithin", "3")];
    }

    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task ACommonWord_IsRankedWithinTheMatchesNearestToToday_AndARareOneWithinAll()
    {
        var token = await client.TokenForAsync("cpso");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        async Task<string> PostAsync(string title, int days)
        {
            var day = today.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var body = WriteClient.EventBody(title, $"{day}T12:00:00", $"{day}T13:00:00");
            body["description"] = "A zanzibarite gathering.";
            var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created);
            return (string)created["slug"]!;
        }

        // The best match by far (the word in its title, twice) is the furthest from today.
        var farPast = await PostAsync("Zanzibarite zanzibarite congress", -400);
        var recentPast = await PostAsync("Picket", -20);
        var soon = await PostAsync("Vigil", 10);
        var later = await PostAsync("Teach-in on zanzibarite history", 30);
        var farAhead = await PostAsync("Zanzibarite anniversary march", 800);

        var common = await client.GetJsonAsync("/api/search?q=zanzibarite&type=event");
        Assert.Equal(3, (int)common["rankedWithin"]!);
        var slugs = common.Array("results").Select(r => (string)r!["slug"]!).ToList();
        Assert.Equal([later, recentPast, soon], slugs.Take(1).Concat(slugs.Skip(1).Order()));
        Assert.DoesNotContain(farPast, slugs);
        Assert.DoesNotContain(farAhead, slugs);

        // "congress" matches one event: ranked among all, however far from today.
        var rare = await client.GetJsonAsync("/api/search?q=zanzibarite%20congress");
        Assert.Null(rare["rankedWithin"]);
        Assert.Equal(farPast, (string)rare.Array("results")[0]!["slug"]!);
    }
}
