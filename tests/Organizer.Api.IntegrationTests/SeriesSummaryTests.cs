using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Organizer.Application.Common;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// An organization's summary counts every occurrence of its series that has begun, however many years of them
/// (issue 13): a daily picket line of years is thousands. On a database of their own, since series that never end
/// would fill every other test's lists.
/// </summary>
public sealed class SeriesSummaryTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    private async Task<(string Slug, string Token)> OrganizationAsync(string name)
    {
        var slug = $"{name}-{Guid.NewGuid():N}"[..24];
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations", new JsonObject { ["name"] = $"{name} {slug}", ["slug"] = slug }, ApiFactory.AdminToken))
            .ExpectAsync(HttpStatusCode.Created);
        return (slug, await client.TokenForAsync(slug));
    }

    /// <summary>The last date a daily series starting at <paramref name="time"/> in Toronto has begun on, now.</summary>
    private static DateOnly LastBegun(LocalTime time)
    {
        var now = SystemClock.Instance.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["America/Toronto"]);
        var today = DateOnly.FromDateTime(now.Date.ToDateTimeUnspecified());
        return now.TimeOfDay > time ? today : today.AddDays(-1);
    }

    [Fact]
    public async Task ASummaryOfYearsOfADailyPicketLine_CountsEveryDateBegun_AndEveryChangeToThem()
    {
        var (slug, token) = await OrganizationAsync("night-pickets");
        var body = WriteClient.SeriesBody("Picket at the gates", "2022-01-03T06:00:00", "2022-01-03T08:00:00", "America/Toronto", new JsonObject { ["frequency"] = "daily" }, "picket");
        var series = (string)(await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created))["slug"]!;

        async Task<(int Events, Dictionary<int, int> ByYear, string? Last)> SummaryAsync()
        {
            var summary = await client.GetJsonAsync($"/api/organizations/{slug}/summary");
            return ((int)summary["events"]!, summary["byYear"]!.AsArray().ToDictionary(y => (int)y!["year"]!, y => (int)y!["events"]!), (string?)summary["last"]!["occurrence"]);
        }

        // Every day from the first to the last begun: more than a thousand, all counted.
        var before = LastBegun(new LocalTime(6, 0));
        var (events, byYear, last) = await SummaryAsync();
        var after = LastBegun(new LocalTime(6, 0));
        var first = new DateOnly(2022, 1, 3);
        Assert.Contains(events, new[] { before, after }.Select(d => d.DayNumber - first.DayNumber + 1));
        Assert.Contains(last, new[] { before, after }.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Assert.Equal((363, 365, 366, 365), (byYear[2022], byYear[2023], byYear[2024], byYear[2025]));

        // A date removed, one cancelled, and one removed by an admin in SQL (which moves no version of the series).
        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{series}/occurrences/2023-05-01", null, token)).ExpectAsync(HttpStatusCode.NoContent);
        await (await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{series}/occurrences/2024-05-01",
            new JsonObject { ["status"] = "cancelled", ["statusReason"] = "Rained off." }, token, MergePatch.ContentType)).ExpectAsync(HttpStatusCode.OK);
        await using (var scope = factory.CreateScope(out var db))
        {
            var stored = await db.Events.SingleAsync(e => e.Slug == series, TestContext.Current.CancellationToken);
            stored.ExceptDates = [.. stored.ExceptDates, new DateOnly(2025, 5, 1)];
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        (_, byYear, _) = await SummaryAsync();
        Assert.Equal((363, 364, 365, 364), (byYear[2022], byYear[2023], byYear[2024], byYear[2025]));
    }

    [Fact]
    public async Task ASummaryNeedingMoreThanOneRequestCounts_AsksForARetry_AndTheRetryCountsEverything()
    {
        // Four daily series since 1800, the earliest date taken: about 83,000 occurrences each, more than one request
        // expands together (SeriesTallies.BudgetPerRequest).
        var (slug, token) = await OrganizationAsync("old-vigils");
        for (var i = 0; i < 4; i++)
        {
            var body = WriteClient.SeriesBody($"Vigil {i}", "1800-01-01T12:00:00", "1800-01-01T13:00:00", "America/Toronto", new JsonObject { ["frequency"] = "daily" }, "picket");
            await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created);
        }

        using var refused = await client.GetAsync($"/api/organizations/{slug}/summary", TestContext.Current.CancellationToken);
        var problem = await refused.ExpectAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        Assert.Contains("ask again", (string?)problem["detail"]);

        // The tallies worked out before are kept, so the retry finishes.
        var before = LastBegun(new LocalTime(12, 0));
        var summary = await client.GetJsonAsync($"/api/organizations/{slug}/summary");
        var after = LastBegun(new LocalTime(12, 0));
        var first = new DateOnly(1800, 1, 1);
        Assert.Contains((int)summary["events"]!, new[] { before, after }.Select(d => 4 * (d.DayNumber - first.DayNumber + 1)));
        Assert.Equal(4 * 365, (int)summary["byYear"]!.AsArray().Single(y => (int)y!["year"]! == 1801)!["events"]!);
    }
}
