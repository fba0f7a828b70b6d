using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// A series in an organization's record (issue 13): every occurrence that has taken place is an action of its own, at its
/// own time, with the organization's role in the series; the summary counts occurrences, not series; search finds the
/// series once. The series here began months before today, on today's weekday, so that its past is known to the day.
/// </summary>
public sealed class SeriesRecordTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const int Weeks = 20;
    private static readonly TimeZoneInfo Toronto = TimeZoneInfo.FindSystemTimeZoneById("America/Toronto");

    private readonly HttpClient client = factory.CreateClient();

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The k-th occurrence's date: weekly from <see cref="Weeks"/> weeks before today (in Toronto).</summary>
    private static DateOnly Week(int k) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Toronto).DateTime).AddDays(7 * (k - Weeks));

    /// <summary>Whether the occurrence on <paramref name="date"/>, at 18:00 in Toronto, has begun.</summary>
    private static bool Begun(DateOnly date) =>
        new DateTimeOffset(date.ToDateTime(new TimeOnly(18, 0)), Toronto.GetUtcOffset(date.ToDateTime(new TimeOnly(18, 0)))) < DateTimeOffset.UtcNow;

    private async Task<string> OrganizationAsync(string name)
    {
        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/organizations",
            new JsonObject { ["name"] = $"{name} {Guid.NewGuid():N}"[..40] }, ApiFactory.AdminToken);
        return (string)(await response.ExpectAsync(HttpStatusCode.Created))["slug"]!;
    }

    private async Task<string> CreateAsync(string title, string host, JsonArray organizations, JsonObject? recurrence, DateOnly day, string kind = "vigil", string visibility = "public")
    {
        var body = WriteClient.EventBody(title, $"{Day(day)}T18:00:00", $"{Day(day)}T19:00:00");
        body["kind"] = kind;
        body["host"] = host;
        body["organizations"] = organizations;
        body["visibility"] = visibility;
        if (recurrence is not null)
        {
            body["recurrence"] = recurrence;
        }

        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, ApiFactory.AdminToken);
        return (string)(await response.ExpectAsync(HttpStatusCode.Created))["slug"]!;
    }

    private static JsonObject Weekly() => new()
    {
        ["frequency"] = "weekly",
        ["byDay"] = new JsonArray(Week(0).DayOfWeek.ToString()[..2].ToLowerInvariant()),
    };

    /// <summary>What no API of this round does yet: one date cancelled and one retitled (overrides), one removed.</summary>
    private async Task ChangeOccurrencesAsync(string slug, DateOnly cancelled, DateOnly retitled, string title, DateOnly removed)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = factory.CreateScope(out var db);
        var id = await db.Events.Where(e => e.Slug == slug).Select(e => e.Id).SingleAsync(ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO occurrence_overrides (event_id, occurrence, status, status_reason, sequence, created_at, updated_at)
            VALUES ({id}, {cancelled}, 'Cancelled', 'Heat warning.', 1, now(), now())
            """, ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO occurrence_overrides (event_id, occurrence, title, sequence, created_at, updated_at)
            VALUES ({id}, {retitled}, {title}, 1, now(), now())
            """, ct);
        await db.Database.ExecuteSqlAsync($"UPDATE events SET except_dates = ARRAY[{removed}]::date[] WHERE id = {id}", ct);
    }

    private sealed record Record(string Host, string Partner, string Other, string Series, string Single, List<DateOnly> Past, DateOnly Cancelled, DateOnly Retitled, DateOnly Removed);

    /// <summary>
    /// A weekly vigil of a host with a co-organizer, begun <see cref="Weeks"/> weeks ago and never ending, with a date
    /// cancelled, one retitled and one removed; and a single rally of the host's, with another organization, in between.
    /// </summary>
    private async Task<Record> ArrangeAsync(string word)
    {
        var host = await OrganizationAsync("Vigil host");
        var partner = await OrganizationAsync("Vigil partner");
        var other = await OrganizationAsync("Rally partner");
        var series = await CreateAsync($"Thursday {word} for the disappeared", host,
            [new JsonObject { ["slug"] = partner, ["role"] = "co-organizer" }], Weekly(), Week(0));
        var single = await CreateAsync("Rally at the consulate", host,
            [new JsonObject { ["slug"] = other, ["role"] = "participant" }], null, Week(10).AddDays(2), kind: "rally");
        await ChangeOccurrencesAsync(series, Week(5), Week(9), "Vigil, moved indoors", Week(7));
        var past = Enumerable.Range(0, Weeks + 1).Select(Week).Where(Begun).ToList();
        return new Record(host, partner, other, series, single, past, Week(5), Week(9), Week(7));
    }

    [Fact]
    public async Task EveryPastOccurrence_IsAnActionOfItsOwn_NewestFirst_WithTheRoleInTheSeries()
    {
        var r = await ArrangeAsync("vigil");

        // More single actions than a page holds, between the weeks: pages of other actions alone would be full.
        var singles = new List<(string Slug, string Date)> { (r.Single, Day(Week(10).AddDays(2))) };
        foreach (var k in new[] { 1, 2, 3, 4, 12, 13, 14, 15 })
        {
            singles.Add((await CreateAsync($"Teach-in {k}", r.Host, [], null, Week(k).AddDays(3), kind: "teach-in"), Day(Week(k).AddDays(3))));
        }

        var items = await client.AllActionsAsync(r.Host, "limit=4");

        // The removed date never appears; each single action sits between the weeks it falls between.
        var expected = r.Past.Where(d => d != r.Removed).Select(d => (r.Series, (string?)Day(d), Day(d)))
            .Concat(singles.Select(x => (x.Slug, (string?)null, x.Date)))
            .OrderByDescending(i => i.Item3)
            .ToList();
        Assert.Equal(expected, items.Select(i => ((string)i["slug"]!, (string?)i["occurrence"], (string)i["date"]!)).ToList());
        Assert.All(items, i => Assert.Equal("host", (string?)i["role"]));

        var occurrences = items.Where(i => (string)i["slug"]! == r.Series).ToList();
        Assert.All(occurrences, i => Assert.Equal("vigil", (string?)i["kind"]));
        Assert.All(occurrences, i => Assert.Equal("Matt Cohen Park", (string?)i["place"]!["name"]));
        Assert.Equal(
            $"{Day(r.Past[^1])}T18:00:00{(Toronto.IsDaylightSavingTime(r.Past[^1].ToDateTime(new TimeOnly(18, 0))) ? "-04:00" : "-05:00")}",
            (string?)occurrences[0]["start"]);

        // A cancelled date stays in the record, marked so, as a cancelled single event does; a retitled one has its title.
        var cancelled = occurrences.Single(i => (string?)i["occurrence"] == Day(r.Cancelled));
        Assert.Equal("cancelled", (string?)cancelled["status"]);
        Assert.All(occurrences.Where(i => i != cancelled), i => Assert.Equal("scheduled", (string?)i["status"]));
        Assert.Equal("Vigil, moved indoors", (string?)occurrences.Single(i => (string?)i["occurrence"] == Day(r.Retitled))["title"]);

        // The co-organizer's record has the same occurrences, in its own role; one big page equals pages of four.
        var partnerItems = await client.AllActionsAsync(r.Partner, "limit=200");
        Assert.Equal(occurrences.Select(i => (string?)i["occurrence"]), partnerItems.Select(i => (string?)i["occurrence"]));
        Assert.All(partnerItems, i => Assert.Equal("co-organizer", (string?)i["role"]));
        Assert.Equal(items.Select(i => i.ToJsonString()), (await client.AllActionsAsync(r.Host, "limit=200")).Select(i => i.ToJsonString()));
    }

    [Fact]
    public async Task TheTimelineFilters_ApplyToOccurrences()
    {
        var r = await ArrangeAsync("vigil");

        var window = await client.AllActionsAsync(r.Host, $"from={Day(Week(2))}&to={Day(Week(4))}&kind=vigil");
        Assert.Equal([Day(Week(4)), Day(Week(3)), Day(Week(2))], window.Select(i => (string?)i["occurrence"]));

        Assert.Empty(await client.AllActionsAsync(r.Host, "role=participant"));
        Assert.Equal([r.Single], (await client.AllActionsAsync(r.Host, "kind=rally")).Slugs());
    }

    [Fact]
    public async Task UpcomingOccurrencesOfAnEndlessSeries_FollowPageAfterPage()
    {
        var r = await ArrangeAsync("vigil");

        var dates = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 4; page++)
        {
            var url = $"/api/organizations/{r.Host}/actions?when=upcoming&limit=5{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}";
            var result = await client.GetJsonAsync(url);
            Assert.Equal(5, result.Array("items").Count);
            dates.AddRange(result.Array("items").Select(i => (string)i!["occurrence"]!));
            cursor = (string?)result["nextCursor"];
            Assert.NotNull(cursor);
        }

        var first = Enumerable.Range(0, 30).Select(k => Week(k)).First(d => !Begun(d));
        Assert.Equal(Enumerable.Range(0, 20).Select(k => Day(first.AddDays(7 * k))), dates);
    }

    [Fact]
    public async Task TheSummary_CountsOccurrencesThatTookPlace_NotTheSeries()
    {
        var r = await ArrangeAsync("vigil");

        var summary = await client.GetJsonAsync($"/api/organizations/{r.Host}/summary");

        // Neither the cancelled date nor the removed one is an action; the rally is.
        var counted = r.Past.Where(d => d != r.Cancelled && d != r.Removed).ToList();
        Assert.Equal(counted.Count + 1, (int)summary["events"]!);
        var byKind = summary.Array("byKind").ToDictionary(k => (string)k!["kind"]!, k => (int)k!["count"]!);
        Assert.Equal(new Dictionary<string, int> { ["vigil"] = counted.Count, ["rally"] = 1 }, byKind);
        var byYear = summary.Array("byYear").ToDictionary(y => (int)y!["year"]!, y => (int)y!["events"]!);
        var expectedYears = counted.Append(Week(10).AddDays(2)).GroupBy(d => d.Year).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expectedYears, byYear);

        Assert.Equal(r.Series, (string?)summary["first"]!["slug"]);
        Assert.Equal(Day(Week(0)), (string?)summary["first"]!["occurrence"]);
        Assert.Equal(Day(counted[^1]), (string?)summary["last"]!["occurrence"]);
        Assert.Equal(Day(counted[^1]), (string?)summary["last"]!["date"]);

        // Each occurrence is an event shared with the co-organizer; the rally one with the other organization.
        var partners = summary.Array("actsMostOftenWith").Select(p => ((string)p!["slug"]!, (int)p["sharedEvents"]!)).ToList();
        Assert.Equal([(r.Partner, counted.Count), (r.Other, 1)], partners);
        var partnerSummary = await client.GetJsonAsync($"/api/organizations/{r.Partner}/summary");
        Assert.Equal(counted.Count, (int)partnerSummary["events"]!);
    }

    [Fact]
    public async Task Search_FindsASeriesOnce_SayingHowItRepeats()
    {
        var word = new string(Enumerable.Range(0, 12).Select(_ => (char)('a' + Random.Shared.Next(26))).ToArray());
        var r = await ArrangeAsync(word);

        var found = (await client.GetJsonAsync($"/api/search?q={word}")).Array("results");

        var result = Assert.Single(found);
        Assert.Equal(r.Series, (string?)result!["slug"]);
        Assert.Equal(Day(Week(0)), (string?)result["date"]);
        Assert.StartsWith("FREQ=WEEKLY;BYDAY=", (string?)result["series"]!["rrule"]);
        Assert.Equal(Day(Enumerable.Range(0, 30).Select(k => Week(k)).First(d => !Begun(d))), (string?)result["series"]!["next"]);
    }

    [Fact]
    public async Task APrivateSeries_ShowsInNoRecord_CountAndSearch()
    {
        var word = new string(Enumerable.Range(0, 12).Select(_ => (char)('a' + Random.Shared.Next(26))).ToArray());
        var host = await OrganizationAsync("Private host");
        var partner = await OrganizationAsync("Private partner");
        var series = await CreateAsync($"Closed {word} meeting", host, [new JsonObject { ["slug"] = partner, ["role"] = "participant" }],
            Weekly(), Week(0), visibility: "private");
        await CreateAsync("Open rally", partner, [], null, Week(3));

        foreach (var slug in new[] { host, partner })
        {
            Assert.DoesNotContain(series, (await client.AllActionsAsync(slug)).Slugs());
            Assert.DoesNotContain(series, (await client.AllActionsAsync(slug, "when=upcoming")).Slugs());
        }

        var hostSummary = await client.GetJsonAsync($"/api/organizations/{host}/summary");
        Assert.Equal(0, (int)hostSummary["events"]!);
        Assert.Empty(hostSummary.Array("actsMostOftenWith"));
        var partnerSummary = await client.GetJsonAsync($"/api/organizations/{partner}/summary");
        Assert.Equal(1, (int)partnerSummary["events"]!);
        Assert.Empty(partnerSummary.Array("actsMostOftenWith"));
        Assert.Empty((await client.GetJsonAsync($"/api/search?q={word}")).Array("results"));
    }
}
