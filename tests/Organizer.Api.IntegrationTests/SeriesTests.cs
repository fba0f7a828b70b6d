using System.Net;
using System.Text.Json.Nodes;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// Recurring actions (issue 13): a series is posted with a rule beside its first occurrence, and its detail shows the
/// rule in both forms, its removed dates and its next occurrences, at the wall-clock time of the first.
/// </summary>
public sealed class SeriesTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    private async Task<JsonNode> CreateAsync(JsonObject body, HttpStatusCode expected = HttpStatusCode.Created) =>
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, await client.TokenForAsync("cupe"))).ExpectAsync(expected);

    [Fact]
    public async Task AWeeklyVigil_ShowsItsRuleInBothForms_AndItsNextOccurrencesAtTheSameWallClockTime()
    {
        var created = await CreateAsync(WriteClient.SeriesBody("Thursday vigil for the disappeared", "2030-01-03T18:00:00", "2030-01-03T19:00:00", "America/Toronto",
            new JsonObject { ["frequency"] = "weekly", ["byDay"] = new JsonArray("th"), ["until"] = "2030-06-27", ["exceptDates"] = new JsonArray("2030-01-10") }));

        var series = created["recurrence"]!;
        Assert.Equal("weekly", (string?)series["frequency"]);
        Assert.Equal("FREQ=WEEKLY;BYDAY=TH;UNTIL=20300628T035959Z", (string?)series["rrule"]);
        Assert.Equal("2030-06-27", (string?)series["lastDate"]);
        Assert.Equal(["2030-01-10"], series["exceptDates"]!.AsArray().Select(d => (string?)d));

        // Read back as anyone would, not as the answer to the write.
        var read = await (await client.GetAsync($"/api/events/{created["slug"]}", TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(created.ToJsonString(), read.ToJsonString());
    }

    [Fact]
    public async Task OccurrencesKeepTheirWallClockTime_AcrossDstChanges()
    {
        // The series starts long before now, so "next" is what follows today; its first occurrence is in winter.
        var created = await CreateAsync(WriteClient.SeriesBody("Daily picket line", "2030-03-08T07:00:00", "2030-03-08T09:00:00", "America/Toronto",
            new JsonObject { ["frequency"] = "daily", ["count"] = 5 }));
        var slug = (string)created["slug"]!;
        var listed = await (await client.GetAsync($"/api/events/{slug}", TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.OK);
        var next = listed["recurrence"]!["next"]!.AsArray().Select(o => ((string?)o!["occurrence"], (string?)o["start"])).ToList();

        // Toronto springs forward on 2030-03-10: 07:00 stays 07:00, at -04:00 from then on.
        Assert.Equal(
            [("2030-03-08", "2030-03-08T07:00:00-05:00"), ("2030-03-09", "2030-03-09T07:00:00-05:00"), ("2030-03-10", "2030-03-10T07:00:00-04:00"),
             ("2030-03-11", "2030-03-11T07:00:00-04:00"), ("2030-03-12", "2030-03-12T07:00:00-04:00")],
            next);
    }

    public static TheoryData<string, string, string> BadRules => new()
    {
        { "recurrence.rrule", "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1", "BYSETPOS is not supported" },
        { "recurrence.rrule", "FREQ=YEARLY", "FREQ=YEARLY is not supported" },
        { "recurrence.rrule", "FREQ=WEEKLY;COUNT=3;UNTIL=20300601", "COUNT and UNTIL cannot both be given" },
        { "recurrence.rrule", "FREQ=WEEKLY;BYDAY=1TH", "BYDAY with a number (such as 1SU) needs FREQ=MONTHLY" },
        { "recurrence.rrule", "FREQ=WEEKLY;FOO=1", "'FOO' is not an RRULE part" },
        { "recurrence.rrule", "FREQ=DAILY;INTERVAL=0", "INTERVAL must be a whole number from 1 to 366" },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public async Task ABadRule_Is400_NamingThePart(string field, string rrule, string message)
    {
        var problem = await CreateAsync(WriteClient.SeriesBody("Bad rule", "2030-01-03T18:00:00", "2030-01-03T19:00:00", "America/Toronto", new JsonObject { ["rrule"] = rrule }),
            HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?[field] is not null, problem.ToJsonString());
        var errors = problem["errors"]![field]!.AsArray().Select(e => (string?)e).ToList();
        Assert.Contains(errors, e => e!.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABadRuleInParts_Is400_OnTheRecurrence()
    {
        var problem = await CreateAsync(WriteClient.SeriesBody("Bad parts", "2030-01-03T18:00:00", "2030-01-03T19:00:00", "America/Toronto",
            new JsonObject { ["frequency"] = "daily", ["byDay"] = new JsonArray("1th") }), HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?["recurrence"] is not null, problem.ToJsonString());
        Assert.Contains("BYDAY with a number (such as 1SU) needs FREQ=MONTHLY", problem["errors"]!["recurrence"]![0]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASeriesThatDoesNotStartOnItsRule_IsRefused()
    {
        // 2030-01-02 is a Wednesday.
        var problem = await CreateAsync(WriteClient.SeriesBody("Off rule", "2030-01-02T18:00:00", "2030-01-02T19:00:00", "America/Toronto",
            new JsonObject { ["frequency"] = "weekly", ["byDay"] = new JsonArray("th") }), HttpStatusCode.BadRequest);
        Assert.Contains("is not a day the rule picks", problem["errors"]!["recurrence"]![0]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExceptDateOffTheSeries_IsRefused()
    {
        var problem = await CreateAsync(WriteClient.SeriesBody("Except off", "2030-01-03T18:00:00", "2030-01-03T19:00:00", "America/Toronto",
            new JsonObject { ["frequency"] = "weekly", ["exceptDates"] = new JsonArray("2030-01-11") }), HttpStatusCode.BadRequest);
        Assert.Contains("2030-01-11 is not a date of the series", problem["errors"]!["recurrence.exceptDates"]![0]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADateMovedPastTheLastOne_IsStillListedThere_AndNoDateMovesBeforeTheFirst()
    {
        var token = await client.TokenForAsync("cupe");
        var created = await CreateAsync(WriteClient.SeriesBody("Last vigils", "2031-01-02T18:00:00", "2031-01-02T19:00:00", "America/Toronto",
            new JsonObject { ["frequency"] = "weekly", ["count"] = 2 }));
        var slug = (string)created["slug"]!;

        await (await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}/occurrences/2031-01-09",
            new JsonObject { ["start"] = "2031-01-20T18:00:00", ["end"] = "2031-01-20T19:00:00" }, token, contentType: "application/merge-patch+json"))
            .ExpectAsync(HttpStatusCode.OK);
        var listed = await (await client.GetAsync("/api/events?from=2031-01-15&to=2031-01-31", TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(listed["items"]!.AsArray(), i => (string?)i!["slug"] == slug && (string?)i["occurrence"] == "2031-01-09" && (string?)i["start"] == "2031-01-20T18:00:00-05:00");

        var early = await (await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}/occurrences/2031-01-09",
            new JsonObject { ["start"] = "2031-01-01T18:00:00", ["end"] = "2031-01-01T19:00:00" }, token, contentType: "application/merge-patch+json"))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("cannot move before its first occurrence (2031-01-02)", early["errors"]!["start"]![0]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHomePage_ShowsASeriesUnderWayAtItsNextDate_NotItsFirst()
    {
        // Begun long ago and never ending: its first date would be far down "recent".
        await CreateAsync(WriteClient.SeriesBody("Daily picket at the sorting plant", "2026-01-05T06:00:00", "2026-01-05T08:00:00", "America/Toronto",
            new JsonObject { ["frequency"] = "daily" }));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var html = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync("/", TestContext.Current.CancellationToken));

        var upcoming = html[html.IndexOf("Upcoming", StringComparison.Ordinal)..];
        Assert.Matches($"Daily picket at the sorting plant[\\s\\S]*({today:yyyy-MM-dd}|{today.AddDays(1):yyyy-MM-dd})T06:00:00", upcoming);
        Assert.DoesNotContain("2026-01-05T06:00:00", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASeriesWhoseFirstOccurrenceStartsAtATimeTheClocksShowTwice_IsRefused_ButASingleEventThenIsNot()
    {
        // 01:30 happens twice in Toronto on 2027-11-07; calendar apps disagree on which one a series' DTSTART means.
        var problem = await CreateAsync(WriteClient.SeriesBody("Ambiguous start", "2027-11-07T01:30:00", "2027-11-07T02:30:00", "America/Toronto",
            new JsonObject { ["frequency"] = "weekly" }), HttpStatusCode.BadRequest);
        Assert.Contains("happens twice in America/Toronto", problem["errors"]!["start"]![0]!.ToString(), StringComparison.Ordinal);

        // The same series from the week before reaches that time on its second date: that occurrence is written out.
        await CreateAsync(WriteClient.SeriesBody("Weekly from before the change", "2027-10-31T01:30:00", "2027-10-31T02:30:00", "America/Toronto",
            new JsonObject { ["frequency"] = "weekly" }));
        var single = WriteClient.EventBody("Single at the repeated hour", "2027-11-07T01:30:00", "2027-11-07T02:30:00");
        single["timeZone"] = "America/Toronto";
        await CreateAsync(single);
    }
}
