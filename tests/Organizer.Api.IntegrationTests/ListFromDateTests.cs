using System.Net;
using System.Text.Json.Nodes;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// A list from a date is read in two parts (events starting from that day on, by the date index; events begun
/// before it and still going on, by their span), so the edges of both parts are checked here with the zones furthest
/// from UTC, page by page.
/// </summary>
public sealed class ListFromDateTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task FromDate_FindsWhatReachesTheDay_InEveryZone_InCalendarOrder_OnePageAtATime()
    {
        var token = await client.TokenForAsync("cpso");
        async Task<string> PostAsync(string title, bool allDay, string start, string end, string zone)
        {
            var body = WriteClient.EventBody(title, start, end);
            body["allDay"] = allDay;
            body["timeZone"] = zone;
            body.Remove("place");
            var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created);
            return (string)created["slug"]!;
        }

        // 10 March 2031 begins at 10:00 UTC on the 9th in Kiritimati (UTC+14) and at 11:00 UTC on the 10th in Pago Pago (UTC-11).
        var weekLong = await PostAsync("Week-long encampment", true, "2031-03-04", "2031-03-12", "Pacific/Kiritimati");
        var justAfterMidnight = await PostAsync("Dawn vigil", false, "2031-03-10T00:30:00", "2031-03-10T01:30:00", "Pacific/Kiritimati");
        var overnight = await PostAsync("Overnight picket", false, "2031-03-09T23:00:00", "2031-03-10T01:00:00", "Pacific/Pago_Pago");
        var nextDay = await PostAsync("Rally the next day", false, "2031-03-11T12:00:00", "2031-03-11T13:00:00", "America/Toronto");
        await PostAsync("Evening before, Pago Pago", false, "2031-03-09T22:00:00", "2031-03-09T23:00:00", "Pacific/Pago_Pago");
        var weekBefore = await PostAsync("Week before", true, "2031-03-01", "2031-03-09", "America/Toronto");
        await PostAsync("Late on the 9th, Kiritimati", false, "2031-03-09T23:00:00", "2031-03-09T23:59:00", "Pacific/Kiritimati");

        Assert.Equal([weekLong, justAfterMidnight, overnight, nextDay], (await client.GetAllEventsAsync("organization=cpso&from=2031-03-10", limit: 1)).Slugs());
        Assert.Equal([weekLong, justAfterMidnight, overnight], (await client.GetAllEventsAsync("organization=cpso&from=2031-03-10&to=2031-03-10", limit: 1)).Slugs());
        Assert.Equal([weekLong, justAfterMidnight, overnight, nextDay], (await client.GetAllEventsAsync("from=2031-03-10", limit: 2)).Slugs());
        Assert.Equal([weekLong, nextDay], (await client.GetAllEventsAsync("from=2031-03-11", limit: 1)).Slugs());

        // The organization's own index gives what filtering every event gives, in the same order, page after page.
        var everyEvent = await client.GetAllEventsAsync();
        var cpso = everyEvent.Where(e => e["organizations"]!.AsArray().Any(o => (string)o!["slug"]! == "cpso")).Select(e => (string)e["slug"]!).ToList();
        Assert.Contains(weekLong, cpso);
        Assert.Equal(cpso, (await client.GetAllEventsAsync("organization=cpso", limit: 2)).Slugs());
        Assert.Equal(cpso.SkipWhile(s => s != weekBefore), (await client.GetAllEventsAsync("organization=cpso&from=2031-03-01", limit: 3)).Slugs());
    }
}
