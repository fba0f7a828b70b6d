using System.Net;
using System.Text.Json.Nodes;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// An organization named on another's event: its pages keep working whatever that event holds, and it can take its
/// name off.
/// </summary>
public sealed class ListingTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Listed = "toronto-association-for-peace-and-solidarity";

    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task ListedOrganization_TakesItsNameOff_AndTheEventLeavesItsRecord()
    {
        var host = await client.TokenForAsync("cupe");
        var slug = await CreateListingAsync(host, "Rally we never endorsed", "endorser");
        Assert.Contains(slug, await client.GetStringAsync($"/api/organizations/{Listed}/actions?when=upcoming", TestContext.Current.CancellationToken));

        var listed = await client.TokenForAsync(Listed);
        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}/organizations/{Listed}", null, listed)).ExpectAsync(HttpStatusCode.NoContent);

        var e = await client.GetJsonAsync($"/api/events/{slug}");
        Assert.DoesNotContain(Listed, e.Array("organizations").Select(o => (string)o!["slug"]!));
        Assert.Equal(1, (int)e["sequence"]!);
        Assert.DoesNotContain(slug, await client.GetStringAsync($"/api/organizations/{Listed}/actions?when=upcoming", TestContext.Current.CancellationToken));
        Assert.DoesNotContain("Rally we never endorsed", await client.GetStringAsync($"/feeds/organizations/{Listed}.ics", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ThirdOrganization_CannotTakeAnotherOff_NorCanTheHostBeTakenOff()
    {
        var host = await client.TokenForAsync("cupe");
        var slug = await CreateListingAsync(host, "Rally with partners", "participant");
        var third = await client.TokenForAsync("communist-party-of-canada");

        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}/organizations/{Listed}", null, third)).ExpectAsync(HttpStatusCode.Forbidden);
        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}/organizations/{Listed}", null)).ExpectAsync(HttpStatusCode.Unauthorized);
        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}/organizations/cupe", null, host)).ExpectAsync(HttpStatusCode.Conflict);
        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}/organizations/communist-party-of-canada", null, host)).ExpectAsync(HttpStatusCode.NotFound);

        // The host may take a partner off its own event too.
        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}/organizations/{Listed}", null, host)).ExpectAsync(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task ListedOnAPrivateEvent_TheOrganizationCanStillTakeItsNameOff()
    {
        var host = await client.TokenForAsync("cupe");
        var slug = await CreateListingAsync(host, "Private rally naming a partner", "co-organizer", visibility: "private");
        var listed = await client.TokenForAsync(Listed);
        var stranger = await client.TokenForAsync("communist-party-of-canada");

        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}/organizations/{Listed}", null, stranger)).ExpectAsync(HttpStatusCode.NotFound);
        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}/organizations/{Listed}", null, listed)).ExpectAsync(HttpStatusCode.NoContent);
        await (await client.SendJsonAsync(HttpMethod.Get, $"/api/events/{slug}", null, listed)).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WhateverAnotherOrganizationsEventHolds_TheListedOrganizationsPagesAnswer()
    {
        var host = await client.TokenForAsync("cupe");
        var body = WriteClient.EventBody("Ω " + string.Concat(Enumerable.Repeat("😀", 90)) + " \u202e reversed", "2199-12-31T23:00:00", "2199-12-31T23:59:00");
        body["description"] = string.Concat(Enumerable.Repeat("BEGIN:VEVENT\r\n<entry>&amp;]]> \\;,\n", 400));
        body["organizations"] = new JsonArray(new JsonObject { ["slug"] = Listed, ["role"] = "endorser" });
        body["timeZone"] = "Pacific/Kiritimati";
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, host)).ExpectAsync(HttpStatusCode.Created);

        var early = WriteClient.EventBody("Earliest allowed date", "1800-01-01T00:00:00", "1800-01-01T01:00:00");
        early["organizations"] = new JsonArray(new JsonObject { ["slug"] = Listed, ["role"] = "participant" });
        early["timeZone"] = "Pacific/Apia";
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", early, host)).ExpectAsync(HttpStatusCode.Created);

        foreach (var url in new[]
                 {
                     $"/api/organizations/{Listed}", $"/api/organizations/{Listed}/summary", $"/api/organizations/{Listed}/actions",
                     $"/feeds/organizations/{Listed}.ics", $"/feeds/organizations/{Listed}.atom", $"/api/events?organization={Listed}",
                     "/feeds/all.ics", "/api/search?q=reversed", "/",
                 })
        {
            using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        }

        var feed = await IcalJs.ParseAsync(await client.GetStringAsync($"/feeds/organizations/{Listed}.ics", TestContext.Current.CancellationToken));
        Assert.Contains(feed.Array("events"), e => ((string)e!["summary"]!).StartsWith("Ω 😀😀", StringComparison.Ordinal));
    }

    private async Task<string> CreateListingAsync(string token, string title, string role, string visibility = "public")
    {
        var body = WriteClient.EventBody(title);
        body["organizations"] = new JsonArray(new JsonObject { ["slug"] = Listed, ["role"] = role });
        body["visibility"] = visibility;
        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created);
        return (string)created["slug"]!;
    }
}
