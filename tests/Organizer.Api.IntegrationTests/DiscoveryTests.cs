using System.Net;
using Organizer.Domain.Organizations;

namespace Organizer.Api.IntegrationTests;

/// <summary>Feeds can be found: JSON carries their addresses, and the home page offers them to people.</summary>
public sealed class DiscoveryTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task OrganizationJson_CarriesItsFeedAsHttpsAndWebcal()
    {
        var organization = await client.GetJsonAsync("/api/organizations/cupe");
        var listed = (await client.GetJsonAsync("/api/organizations")).AsArray().Single(o => (string)o!["slug"]! == "canadian-union-of-public-employees")!;

        Assert.Equal("http://localhost/feeds/organizations/canadian-union-of-public-employees.ics", (string)organization["feed"]!["https"]!);
        Assert.Equal("webcal://localhost/feeds/organizations/canadian-union-of-public-employees.ics", (string)organization["feed"]!["webcal"]!);
        Assert.Equal((string)organization["feed"]!["https"]!, (string)listed["feed"]!["https"]!);
    }

    [Fact]
    public async Task EventJson_CarriesItsAddToCalendarLinks()
    {
        var detail = await client.GetJsonAsync("/api/events/2020-10-18-toronto-no-new-coup-in-bolivia-rally");
        var item = (await client.GetJsonAsync("/api/events?organization=communist-party-of-canada")).Array("items").Single()!;

        Assert.Equal("http://localhost/api/events/2020-10-18-toronto-no-new-coup-in-bolivia-rally.ics", (string)detail["calendar"]!["https"]!);
        Assert.Equal("webcal://localhost/api/events/2020-10-18-toronto-no-new-coup-in-bolivia-rally.ics", (string)item["calendar"]!["webcal"]!);
        using var ics = await client.GetAsync((string)detail["calendar"]!["https"]!, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ics.StatusCode);
    }

    [Fact]
    public async Task Cities_AreListedWithCountsAndFeeds_AndAnUnknownCityIs404()
    {
        var cities = (await client.GetJsonAsync("/api/cities")).AsArray();
        var montreal = await client.GetJsonAsync("/api/cities/Montreal");

        Assert.Contains(cities, c => (string)c!["slug"]! == "toronto" && (int)c["eventCount"]! == 3);
        Assert.Equal("montreal", (string)montreal["slug"]!);
        Assert.Equal(1, (int)montreal["eventCount"]!);
        Assert.Equal("webcal://localhost/feeds/cities/montreal.ics", (string)montreal["feed"]!["webcal"]!);
        await client.GetJsonAsync("/api/cities/atlantis", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task HomePage_OffersEveryFeedToSubscribe_CopyAndAddToGoogle()
    {
        using var response = await client.GetAsync("/", TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<meta name=\"viewport\"", html);
        Assert.Contains("href=\"webcal://localhost/feeds/organizations/communist-party-of-canada.ics\"", html);
        Assert.Contains("http://localhost/feeds/cities/montreal.ics", html);
        Assert.Contains("href=\"https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Flocalhost%2Ffeeds%2Fall.ics\"", html);
        Assert.Contains("href=\"/api/events/2023-07-17-third-takeover-of-lima\"", html);
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public async Task HomePage_EscapesWhatOrganizersTyped()
    {
        await using (var scope = factory.CreateScope(out var db))
        {
            db.Organizations.Add(new Organization { Slug = "escape-test", Name = "<script>alert(1)</script> & \"Friends\"" });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            var organization = db.Organizations.Local.Single(o => o.Slug == "escape-test");
            var rally = db.Events.First(e => e.Slug == "2019-11-12-montreal-picket-for-chilean-and-bolivian-peoples");
            db.EventParticipations.Add(new Domain.Events.EventParticipation { EventId = rally.Id, OrganizationId = organization.Id, Role = Domain.Events.ParticipationRole.Endorser });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var html = await client.GetStringAsync("/", TestContext.Current.CancellationToken);

        Assert.DoesNotContain("<script>alert(1)</script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Friends&quot;", html);
    }
}
