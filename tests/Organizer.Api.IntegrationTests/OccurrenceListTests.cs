using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Organizer.Domain.Events;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// The events list shows a series as its occurrences (issue 13): each with the series' slug, its own date, status,
/// times and place, in calendar order among single events, paged without gaps or repeats; a search finds it once.
/// Each test keeps to its own tag or dates, as they share one database.
/// </summary>
public sealed class OccurrenceListTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    private async Task<string> CreateAsync(string title, string start, string end, JsonObject? recurrence, string tag, string visibility = "public")
    {
        var body = WriteClient.EventBody(title, start, end);
        body["tags"] = new JsonArray(tag);
        body["visibility"] = visibility;
        if (recurrence is not null)
        {
            body["kind"] = "vigil";
            body["recurrence"] = recurrence;
        }

        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, await client.TokenForAsync("cupe"))).ExpectAsync(HttpStatusCode.Created);
        return (string)created["slug"]!;
    }

    /// <summary>Changes one occurrence in the table, as the occurrence PATCH would.</summary>
    private async Task OverrideAsync(string slug, DateOnly occurrence, Action<OccurrenceOverride> change)
    {
        await using var scope = factory.CreateScope(out var db);
        var id = await db.Events.Where(e => e.Slug == slug).Select(e => e.Id).SingleAsync(TestContext.Current.CancellationToken);
        var changed = new OccurrenceOverride { EventId = id, Occurrence = occurrence, Sequence = 1 };
        change(changed);
        db.Add(changed);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    private static List<(string Slug, string? Occurrence, string Start)> Items(IEnumerable<JsonNode> items) =>
        items.Select(i => ((string)i["slug"]!, (string?)i["occurrence"], (string)i["start"]!)).ToList();

    [Fact]
    public async Task AWeeklySeries_IsListedAsItsOccurrencesInTheWindow()
    {
        var vigil = await CreateAsync("Thursday vigil at the consulate", "2031-01-02T18:00:00", "2031-01-02T19:00:00",
            new JsonObject { ["frequency"] = "weekly", ["byDay"] = new JsonArray("th"), ["until"] = "2031-06-26" }, "occ-window");

        var page = await client.GetJsonAsync("/api/events?from=2031-01-10&to=2031-02-06");
        var items = page.Array("items").Select(i => i!).ToList();

        Assert.Equal(
            [(vigil, "2031-01-16", "2031-01-16T18:00:00-05:00"), (vigil, "2031-01-23", "2031-01-23T18:00:00-05:00"),
             (vigil, "2031-01-30", "2031-01-30T18:00:00-05:00"), (vigil, "2031-02-06", "2031-02-06T18:00:00-05:00")],
            Items(items));
        Assert.All(items, i => Assert.Equal("scheduled", (string?)i["status"]));
        Assert.Equal("2031-01-16T19:00:00-05:00", (string?)items[0]["end"]);
        Assert.EndsWith($"/api/events/{vigil}/occurrences/2031-01-16", (string)items[0]["url"]!, StringComparison.Ordinal);
        Assert.Null(page["nextCursor"]);
    }

    [Fact]
    public async Task SeriesAndSingleEvents_Interleave_InCalendarOrder()
    {
        var picket = await CreateAsync("Morning picket", "2031-09-01T07:00:00", "2031-09-01T09:00:00",
            new JsonObject { ["frequency"] = "daily", ["count"] = 4 }, "occ-mixed");
        var rally = await CreateAsync("Noon rally", "2031-09-02T12:00:00", "2031-09-02T13:00:00", null, "occ-mixed");
        var early = await CreateAsync("Dawn leafleting", "2031-09-03T06:00:00", "2031-09-03T06:30:00", null, "occ-mixed");

        foreach (var query in new[] { "from=2031-08-31&to=2031-09-30&tag=occ-mixed", "tag=occ-mixed" })
        {
            var items = await client.GetAllEventsAsync(query);
            Assert.Equal(
                [(picket, "2031-09-01"), (picket, "2031-09-02"), (rally, null), (early, null), (picket, "2031-09-03"), (picket, "2031-09-04")],
                Items(items).Select(i => (i.Slug, i.Occurrence)).ToList());

            // A single event keeps its own address; its occurrence is null.
            var single = items.Single(i => (string)i["slug"]! == rally);
            Assert.Null(single["occurrence"]);
            Assert.EndsWith($"/api/events/{rally}", (string)single["url"]!, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task PagingThroughSeries_GivesEachOccurrenceOnce_InOrder_EvenAtTheSameInstant(int limit)
    {
        // Each run in its own month and tag.
        var month = 4 + limit;
        var tag = $"occ-paging-{limit}";
        string Day(int d, string time = "07:00:00") => $"2033-{month:00}-{d:00}T{time}";
        DateOnly Date(int d) => new(2033, month, d);

        var a = await CreateAsync("Daily picket A", Day(1), Day(1, "08:00:00"), new JsonObject { ["frequency"] = "daily", ["count"] = 6 }, tag);
        var b = await CreateAsync("Daily picket B", Day(2), Day(2, "08:00:00"), new JsonObject { ["frequency"] = "daily", ["count"] = 3 }, tag);
        var same = await CreateAsync("Rally at the same hour", Day(3), Day(3, "08:00:00"), null, tag);
        var later = await CreateAsync("Afternoon rally", Day(4, "12:00:00"), Day(4, "13:00:00"), null, tag);

        // A's last occurrence moves to the hour of its second: two occurrences of one series at one instant.
        await OverrideAsync(a, Date(6), o => (o.Start, o.End) = (new DateTime(2033, month, 2, 7, 0, 0), new DateTime(2033, month, 2, 8, 0, 0)));

        string?[] expected =
        [
            $"{a} {Date(1):yyyy-MM-dd}", $"{a} {Date(2):yyyy-MM-dd}", $"{a} {Date(3):yyyy-MM-dd}", $"{a} {Date(4):yyyy-MM-dd}",
            $"{a} {Date(5):yyyy-MM-dd}", $"{a} {Date(6):yyyy-MM-dd}",
            $"{b} {Date(2):yyyy-MM-dd}", $"{b} {Date(3):yyyy-MM-dd}", $"{b} {Date(4):yyyy-MM-dd}",
            $"{same} ", $"{later} ",
        ];

        foreach (var query in new[] { $"tag={tag}", $"from=2033-{month:00}-01&to=2033-{month:00}-28&tag={tag}" })
        {
            var whole = Items(await client.GetAllEventsAsync(query, limit: 200));
            var paged = Items(await client.GetAllEventsAsync(query, limit: limit));

            Assert.Equal(whole, paged);
            Assert.Equal(expected.Order(), paged.Select(i => $"{i.Slug} {i.Occurrence}").Order());
            Assert.Equal(paged.OrderBy(i => DateTimeOffset.Parse(i.Start, System.Globalization.CultureInfo.InvariantCulture)).ToList(), paged);

            // The moved occurrence is listed at its own time, still named by its date in the rule.
            Assert.Contains((a, Date(6).ToString("yyyy-MM-dd"), $"2033-{month:00}-02T07:00:00-04:00"), paged);
        }
    }

    [Fact]
    public async Task AnEndlessSeries_WithoutTo_IsPagedOneBoundedPageAtATime()
    {
        var daily = await CreateAsync("Picket line while the strike lasts", "2032-01-05T07:00:00", "2032-01-05T09:00:00",
            new JsonObject { ["frequency"] = "daily" }, "occ-endless");

        var seen = new List<string>();
        var url = "/api/events?tag=occ-endless&limit=3";
        var page = await client.GetJsonAsync(url);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(3, page.Array("items").Count);
            Assert.All(page.Array("items"), item => Assert.Equal(daily, (string?)item!["slug"]));
            seen.AddRange(page.Array("items").Select(item => (string)item!["occurrence"]!));
            Assert.NotNull(page["nextCursor"]);
            page = await client.GetJsonAsync($"{url}&cursor={Uri.EscapeDataString((string)page["nextCursor"]!)}");
        }

        Assert.Equal(Enumerable.Range(0, 12).Select(d => new DateOnly(2032, 1, 5).AddDays(d).ToString("yyyy-MM-dd")), seen);
    }

    [Fact]
    public async Task ACancelledOrMovedOccurrence_IsFilteredByItsOwnStatusAndPlace()
    {
        var vigil = await CreateAsync("Vigil for the strikers", "2033-03-03T18:00:00", "2033-03-03T19:00:00",
            new JsonObject { ["frequency"] = "weekly", ["count"] = 4 }, "occ-status");
        Guid elsewhere;
        string elsewhereCity;
        await using (var scope = factory.CreateScope(out var db))
        {
            var place = await db.Places
                .Where(p => p.City != null && p.City != "Toronto" && db.Events.Any(e => e.PlaceId == p.Id && e.Visibility == Visibility.Public))
                .Select(p => new { p.Id, City = p.City! })
                .FirstAsync(TestContext.Current.CancellationToken);
            (elsewhere, elsewhereCity) = (place.Id, place.City);
        }

        await OverrideAsync(vigil, new DateOnly(2033, 3, 10), o => (o.Status, o.StatusReason) = (EventStatus.Cancelled, "Snowstorm"));
        await OverrideAsync(vigil, new DateOnly(2033, 3, 17), o =>
        {
            o.PlaceId = elsewhere;
            (o.Start, o.End) = (new DateTime(2033, 3, 18, 20, 0, 0), new DateTime(2033, 3, 18, 21, 0, 0));
        });

        async Task<List<(string? Occurrence, string Status)>> ListAsync(string query) =>
            (await client.GetAllEventsAsync($"tag=occ-status{query}")).Select(i => ((string?)i["occurrence"], (string)i["status"]!)).ToList();

        // Listed like a cancelled event is: by default, with its status.
        Assert.Equal([("2033-03-03", "scheduled"), ("2033-03-10", "cancelled"), ("2033-03-17", "scheduled"), ("2033-03-24", "scheduled")], await ListAsync(""));
        Assert.Equal([("2033-03-10", "cancelled")], await ListAsync("&status=cancelled"));
        Assert.Equal([("2033-03-03", "scheduled"), ("2033-03-17", "scheduled"), ("2033-03-24", "scheduled")], await ListAsync("&status=scheduled"));

        // The moved occurrence is where and when it now is.
        var moved = (await client.GetAllEventsAsync($"tag=occ-status&city={Uri.EscapeDataString(elsewhereCity)}")).Single();
        Assert.Equal(("2033-03-17", "2033-03-18T20:00:00-04:00"), ((string?)moved["occurrence"], (string?)moved["start"]));
        Assert.Equal(elsewhereCity, (string?)moved["place"]!["city"]);
        Assert.Equal(["2033-03-03", "2033-03-10", "2033-03-24"],
            (await client.GetAllEventsAsync("tag=occ-status&city=toronto")).Select(i => (string?)i["occurrence"]));
    }

    [Fact]
    public async Task APrivateSeries_IsInNoListPageOrSearch()
    {
        await CreateAsync("Quorvex private planning circle", "2031-05-01T18:00:00", "2031-05-01T19:00:00",
            new JsonObject { ["frequency"] = "weekly" }, "occ-private", visibility: "private");

        Assert.Empty(await client.GetAllEventsAsync("tag=occ-private"));
        Assert.Empty(await client.GetAllEventsAsync("from=2031-05-01&to=2031-05-31&tag=occ-private"));
        Assert.Empty(await client.GetAllEventsAsync("q=quorvex"));
        Assert.Empty(await client.GetAllEventsAsync("q=quorvex&sort=date&from=2031-06-01"));
    }

    [Fact]
    public async Task ASearch_FindsASeriesOnce()
    {
        var series = await CreateAsync("Zelkovar memorial vigil", "2031-03-06T18:00:00", "2031-03-06T19:00:00",
            new JsonObject { ["frequency"] = "weekly", ["count"] = 10 }, "occ-search");

        foreach (var query in new[] { "q=zelkovar", "q=zelkovar&sort=date", "q=zelkovar&sort=date&from=2031-04-01&to=2031-04-30", "q=zelkovar&from=2031-04-01" })
        {
            var items = await client.GetAllEventsAsync(query, limit: 1);
            var item = Assert.Single(items);
            Assert.Equal(series, (string?)item["slug"]);
            Assert.Null(item["occurrence"]);
            Assert.Equal("2031-03-06T18:00:00-05:00", (string?)item["start"]);
        }

        // Its occurrences are what the calendar order lists.
        Assert.Equal(10, (await client.GetAllEventsAsync("tag=occ-search")).Count);
    }

    /// <summary>Daily series of three, all beginning on 2034-02-01 between 07:00 and 08:00, tagged <paramref name="tag"/>.</summary>
    private async Task ManySeriesAsync(int count, string tag)
    {
        await using var scope = factory.CreateScope(out var db);
        var zone = DateTimeZoneProviders.Tzdb["America/Toronto"];
        for (var i = 0; i < count; i++)
        {
            var start = new DateTime(2034, 2, 1, 7, 0, 0).AddMinutes(i % 60);
            db.Events.Add(new Event
            {
                Slug = $"{tag}-{i}",
                Title = $"Series {i}",
                Kind = EventKind.Vigil,
                Schedule = EventSchedule.Timed(start, start.AddHours(1), "America/Toronto"),
                Recurrence = Recurrence.Parse("FREQ=DAILY;COUNT=3", LocalTime.FromHourMinuteSecondTick(7, 0, 0, 0), zone),
                SeriesEndDate = new DateOnly(2034, 2, 3),
                Tags = [tag],
            });
        }

        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task ManySeriesUnderWayAtOnce_ArePagedWholeAndInOrder()
    {
        // Finding where each of 300 series goes on takes most of one request's 1,000 occurrences.
        await ManySeriesAsync(300, "occ-many");

        var pages = new List<int>();
        var items = new List<JsonNode>();
        string? cursor = null;
        do
        {
            var page = await client.GetJsonAsync("/api/events?tag=occ-many&limit=200" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            items.AddRange(page.Array("items").Select(i => i!));
            pages.Add(page.Array("items").Count);
            cursor = (string?)page["nextCursor"];
        }
        while (cursor is not null && pages.Count < 100);

        Assert.Null(cursor);
        Assert.All(pages, n => Assert.InRange(n, 1, 200));
        Assert.Equal(900, items.Count);
        Assert.Equal(900, items.Select(i => $"{i["slug"]} {i["occurrence"]}").Distinct().Count());
        var starts = items.Select(i => DateTimeOffset.Parse((string)i["start"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(starts.Order().ToList(), starts);
    }

    [Fact]
    public async Task MoreSeriesUnderWayThanTheBudgetCanExpand_Is400NamingTheProblem_NotA500()
    {
        await ManySeriesAsync(SeriesExpansionLimit + 1, "occ-toomany");

        var problem = await client.GetJsonAsync("/api/events?tag=occ-toomany&from=2034-02-02", HttpStatusCode.BadRequest);
        Assert.Contains("More recurring series are under way here than one page can expand", (string?)problem["errors"]!["series"]![0], StringComparison.Ordinal);

        // Without a window, the first page still comes: series not yet begun are expanded only as the page reaches them.
        Assert.Equal(10, (await client.GetJsonAsync("/api/events?tag=occ-toomany&limit=10")).Array("items").Count);
    }

    private const int SeriesExpansionLimit = 1000;
}
