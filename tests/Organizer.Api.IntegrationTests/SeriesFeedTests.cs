using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Organizer.Application.Feeds;
using Organizer.Domain.Events;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// Series in the calendar feeds (issue 13): one VEVENT with RRULE and EXDATE, a RECURRENCE-ID VEVENT per changed
/// occurrence, wall-clock times kept across DST changes in every parser, the feed's dates and filters, and the other
/// shareable formats.
/// </summary>
public sealed class SeriesFeedTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task AWeeklyVigilWithOneCancelledDate_IsOneVEventWithItsRuleAndRemovedDate_AndACancelledRecurrence()
    {
        var slug = await CreateAsync("Thursday vigil for Palestine", "2027-01-07T18:00:00", "2027-01-07T19:00:00", "America/Toronto",
            new JsonObject { ["frequency"] = "weekly", ["byDay"] = new JsonArray("th"), ["until"] = "2027-06-24", ["exceptDates"] = new JsonArray("2027-02-11") });
        await ChangeOccurrenceAsync(slug, new DateOnly(2027, 3, 4), cancel: true, reason: "Snowstorm warning");

        var text = await client.GetStringAsync($"/api/events/{slug}.ics", TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine(text);
        var vevents = VEvents(text);
        Assert.Equal(2, vevents.Count);

        var (series, cancelled) = (vevents[0], vevents[1]);
        Assert.Contains("DTSTART;TZID=America/Toronto:20270107T180000", series);
        Assert.Contains("DTEND;TZID=America/Toronto:20270107T190000", series);
        Assert.Contains("RRULE:FREQ=WEEKLY;BYDAY=TH;UNTIL=20270625T035959Z", series);
        Assert.Contains("EXDATE;TZID=America/Toronto:20270211T180000", series);
        Assert.Contains("STATUS:CONFIRMED", series);
        Assert.DoesNotContain(series, l => l.StartsWith("RECURRENCE-ID", StringComparison.Ordinal));

        Assert.Equal(Line(series, "UID"), Line(cancelled, "UID"));
        Assert.Contains("RECURRENCE-ID;TZID=America/Toronto:20270304T180000", cancelled);
        Assert.Contains("DTSTART;TZID=America/Toronto:20270304T180000", cancelled);
        Assert.Contains("STATUS:CANCELLED", cancelled);
        Assert.EndsWith($"/api/events/{slug}/occurrences/2027-03-04", Line(cancelled, "URL"), StringComparison.Ordinal);
        Assert.StartsWith("DESCRIPTION:Cancelled: Snowstorm warning", Line(cancelled, "DESCRIPTION"), StringComparison.Ordinal);
        Assert.DoesNotContain(cancelled, l => l.StartsWith("RRULE", StringComparison.Ordinal) || l.StartsWith("EXDATE", StringComparison.Ordinal));
        Assert.True(int.Parse(Line(cancelled, "SEQUENCE")[9..], CultureInfo.InvariantCulture) >= int.Parse(Line(series, "SEQUENCE")[9..], CultureInfo.InvariantCulture));

        // Every parser: 25 Thursdays, less the removed one; the cancelled one is there, cancelled.
        foreach (var expansion in await CalendarParsers.ExpandWithAllAsync(Encoding.UTF8.GetBytes(text), Utc(2027, 1, 1), Utc(2027, 7, 1)))
        {
            Assert.True(expansion.Rejection is null, $"{expansion.Parser}: {expansion.Rejection}");
            var dates = expansion.Occurrences.Select(o => o.RecurrenceId).ToList();
            Assert.Equal(24, dates.Count);
            Assert.DoesNotContain("2027-02-11", dates);
            Assert.Equal(["2027-03-04"], expansion.Occurrences.Where(o => o.Status == "CANCELLED").Select(o => o.RecurrenceId));
            Assert.All(expansion.Occurrences, o => Assert.Equal(Toronto(o.RecurrenceId, 18, 0), o.Start));
        }
    }

    public static TheoryData<string, string> ZonesAcrossTheirChanges => new()
    {
        // The first occurrence before one change, the series running past the next.
        { "America/Toronto", "2027-03-01" },
        { "Europe/London", "2027-03-15" },
        { "Australia/Lord_Howe", "2027-03-25" },
    };

    [Theory]
    [MemberData(nameof(ZonesAcrossTheirChanges))]
    public async Task ADailySeries_KeepsItsWallClockTime_AcrossDstChanges_InEveryParser(string zoneId, string first)
    {
        var slug = await CreateAsync($"Evening picket, {zoneId}", $"{first}T18:00:00", $"{first}T20:00:00", zoneId,
            new JsonObject { ["frequency"] = "daily", ["until"] = "2027-11-30" });
        var bytes = await client.GetByteArrayAsync($"/api/events/{slug}.ics", TestContext.Current.CancellationToken);
        var zone = DateTimeZoneProviders.Tzdb[zoneId];

        foreach (var expansion in await CalendarParsers.ExpandWithAllAsync(bytes, Utc(2027, 1, 1), Utc(2028, 1, 1)))
        {
            Assert.True(expansion.Rejection is null, $"{expansion.Parser}: {expansion.Rejection}");
            var firstDay = LocalDate.FromDateOnly(DateOnly.Parse(first, CultureInfo.InvariantCulture));
            Assert.Equal(Period.Between(firstDay, new LocalDate(2027, 11, 30), PeriodUnits.Days).Days + 1, expansion.Occurrences.Count);
            foreach (var o in expansion.Occurrences)
            {
                var day = LocalDate.FromDateOnly(DateOnly.Parse(o.RecurrenceId, CultureInfo.InvariantCulture));
                var start = zone.AtStrictly(day.At(new LocalTime(18, 0))).ToInstant();
                Assert.True(Utc(start) == o.Start && Utc(start + Duration.FromHours(2)) == o.End,
                    $"{expansion.Parser}: {zoneId} {o.RecurrenceId}: read {o.Start}–{o.End}, expected 18:00–20:00 local ({Utc(start)})");
            }
        }
    }

    public static TheoryData<string, string, string, string, string> GapTimes => new()
    {
        // Zone, the series' time, its first day, the day of the gap, that occurrence's start as the API gives it.
        { "America/Toronto", "02:30", "2027-03-12", "2027-03-14", "2027-03-14T03:30:00-04:00" },
        { "Europe/London", "01:30", "2027-03-26", "2027-03-28", "2027-03-28T02:30:00+01:00" },
        { "Australia/Lord_Howe", "02:15", "2027-10-01", "2027-10-03", "2027-10-03T02:45:00+11:00" },
    };

    [Theory]
    [MemberData(nameof(GapTimes))]
    public async Task AnOccurrenceInADstGap_MovesForwardByTheGap_InTheApi_AndInEveryParser(
        string zoneId, string time, string first, string gapDay, string expectedStart)
    {
        var slug = await CreateAsync($"Night shift picket, {zoneId}", $"{first}T{time}:00", null, zoneId,
            new JsonObject { ["frequency"] = "daily", ["count"] = 5 });

        var detail = await client.GetJsonAsync($"/api/events/{slug}");
        var next = detail["recurrence"]!["next"]!.AsArray().ToDictionary(o => (string)o!["occurrence"]!, o => (string)o!["start"]!);
        Assert.Equal(expectedStart, next[gapDay]);

        // The day after keeps the series' own time.
        var after = LocalDate.FromDateOnly(DateOnly.Parse(gapDay, CultureInfo.InvariantCulture)).PlusDays(1).ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
        Assert.StartsWith($"{after}T{time}:00", next[after], StringComparison.Ordinal);

        // Every parser reads every occurrence where the API has it, but libical on the day after the gap (its iterator
        // keeps the gap's shift for the rule's next date; see SeriesExpansionComparisonTests.Quirks).
        var bytes = await client.GetByteArrayAsync($"/api/events/{slug}.ics", TestContext.Current.CancellationToken);
        foreach (var expansion in await CalendarParsers.ExpandWithAllAsync(bytes, Utc(2027, 1, 1), Utc(2028, 1, 1)))
        {
            Assert.True(expansion.Rejection is null, $"{expansion.Parser}: {expansion.Rejection}");
            var read = expansion.Occurrences.ToDictionary(o => o.RecurrenceId, o => o.Start);
            Assert.Equal(next.Keys.Order(StringComparer.Ordinal), read.Keys.Order(StringComparer.Ordinal));
            foreach (var (day, start) in next.Where(n => !(expansion.Parser == CalendarParsers.LibicalName && n.Key == after)))
            {
                Assert.True(Utc(DateTimeOffset.Parse(start, CultureInfo.InvariantCulture)) == read[day], $"{expansion.Parser}: {day} read {read[day]}, the API has {start}");
            }
        }
    }

    [Fact]
    public async Task ADailySeriesAcrossTorontosSpringForward_WritesItsGapOccurrenceOut_WithoutChangingAnyOther()
    {
        var slug = await CreateAsync("Night shift picket at the depot", "2027-03-12T02:30:00", "2027-03-12T04:00:00", "America/Toronto",
            new JsonObject { ["frequency"] = "daily", ["count"] = 5 });
        await ChangeOccurrenceAsync(slug, new DateOnly(2027, 3, 14), title: "Night shift picket, clocks forward");
        var text = await client.GetStringAsync($"/api/events/{slug}.ics", TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine(text);
        var vevents = VEvents(text);
        Assert.Equal(2, vevents.Count);

        // 02:30 does not exist on March 14: the occurrence is at 03:30 EDT. ical.js would read the rule's 02:30 as
        // 01:30 EST (06:30Z): that instant is removed and the real one added, and the change is named by it.
        var series = vevents[0];
        Assert.Contains("DTSTART;TZID=America/Toronto:20270312T023000", series);
        Assert.Contains("RRULE:FREQ=DAILY;COUNT=5", series);
        Assert.Contains("EXDATE:20270314T063000Z", series);
        Assert.Contains("RDATE;TZID=America/Toronto:20270314T033000", series);
        Assert.Contains("RECURRENCE-ID;TZID=America/Toronto:20270314T033000", vevents[1]);
        Assert.Contains("DTSTART;TZID=America/Toronto:20270314T033000", vevents[1]);
        Assert.Contains("DTEND;TZID=America/Toronto:20270314T050000", vevents[1]);

        foreach (var expansion in await CalendarParsers.ExpandWithAllAsync(Encoding.UTF8.GetBytes(text), Utc(2027, 1, 1), Utc(2028, 1, 1)))
        {
            Assert.True(expansion.Rejection is null, $"{expansion.Parser}: {expansion.Rejection}");
            var changed = Assert.Single(expansion.Occurrences, o => o.RecurrenceId == "2027-03-14");
            Assert.Equal(("2027-03-14T07:30:00Z", "2027-03-14T09:00:00Z", "Night shift picket, clocks forward"), (changed.Start, changed.End, changed.Summary));
        }

        // A series that never meets a change of offset is written as before: no RDATE, no extra VEVENT.
        var plain = await CreateAsync("Evening vigil", "2027-05-03T18:00:00", "2027-05-03T19:00:00", "America/Toronto",
            new JsonObject { ["frequency"] = "weekly" });
        var plainText = await client.GetStringAsync($"/api/events/{plain}.ics", TestContext.Current.CancellationToken);
        Assert.DoesNotContain("RDATE", plainText, StringComparison.Ordinal);
        Assert.Single(VEvents(plainText));
    }

    public static TheoryData<string, string, string, string> OverlapTimes => new()
    {
        // Zone, the series' time and end, its first day: a daily series whose time the clocks show twice on one day,
        // or that runs across the change.
        { "America/Toronto", "01:30", "02:30", "2027-11-04" },
        { "America/Toronto", "00:30", "03:00", "2027-11-04" },
        { "America/Toronto", "01:00", "04:00", "2027-03-12" },
        { "Europe/London", "01:15", "01:45", "2027-10-29" },
        { "Australia/Lord_Howe", "01:40", "02:10", "2027-04-02" },
    };

    [Theory]
    [MemberData(nameof(OverlapTimes))]
    public async Task AnOccurrenceInADstOverlap_OrAcrossAChange_IsReadAtTheApisInstants_InEveryParser(string zoneId, string time, string end, string first)
    {
        var slug = await CreateAsync($"Overnight picket, {zoneId} {time}", $"{first}T{time}:00", $"{first}T{end}:00", zoneId,
            new JsonObject { ["frequency"] = "daily", ["count"] = 5 });
        var detail = await client.GetJsonAsync($"/api/events/{slug}");
        var next = detail["recurrence"]!["next"]!.AsArray().ToDictionary(
            o => (string)o!["occurrence"]!,
            o => (Utc(DateTimeOffset.Parse((string)o!["start"]!, CultureInfo.InvariantCulture)), Utc(DateTimeOffset.Parse((string)o["end"]!, CultureInfo.InvariantCulture))));
        Assert.Equal(5, next.Count);

        var bytes = await client.GetByteArrayAsync($"/api/events/{slug}.ics", TestContext.Current.CancellationToken);
        foreach (var expansion in await CalendarParsers.ExpandWithAllAsync(bytes, Utc(2027, 1, 1), Utc(2028, 1, 1)))
        {
            Assert.True(expansion.Rejection is null, $"{expansion.Parser}: {expansion.Rejection}");
            var read = expansion.Occurrences.ToDictionary(o => o.RecurrenceId, o => (o.Start, o.End ?? ""));
            Assert.Equal(next.Keys.Order(StringComparer.Ordinal), read.Keys.Order(StringComparer.Ordinal));
            foreach (var (day, want) in next)
            {
                Assert.True(want == read[day], $"{expansion.Parser}: {day} read {read[day]}, the API has {want}");
            }
        }
    }

    [Fact]
    public async Task AnEndlessSeries_IsReadAtItsWallClockTime_YearsAhead_FromTheFeedsOwnTimeZones()
    {
        var slug = await CreateAsync("Monthly general assembly", "2027-01-03T14:00:00", "2027-01-03T17:00:00", "Australia/Lord_Howe",
            new JsonObject { ["frequency"] = "monthly", ["byDay"] = new JsonArray("1su") });
        var text = await client.GetStringAsync($"/api/events/{slug}.ics", TestContext.Current.CancellationToken);

        // The zone's rules from some year on, as yearly observances, rather than a last offset kept for ever.
        Assert.Contains("RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU", text, StringComparison.Ordinal);
        Assert.Contains("RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU", text, StringComparison.Ordinal);

        // ical.js and libical compute instants from the feed's VTIMEZONE (the others look the zone up by name).
        var zone = DateTimeZoneProviders.Tzdb["Australia/Lord_Howe"];
        foreach (var expansion in (await CalendarParsers.ExpandWithAllAsync(Encoding.UTF8.GetBytes(text), Utc(2045, 1, 1), Utc(2046, 1, 1)))
                     .Where(e => e.Parser is CalendarParsers.IcalJsName or CalendarParsers.LibicalName))
        {
            Assert.True(expansion.Rejection is null, $"{expansion.Parser}: {expansion.Rejection}");
            Assert.Equal(12, expansion.Occurrences.Count);
            foreach (var o in expansion.Occurrences)
            {
                var day = LocalDate.FromDateOnly(DateOnly.Parse(o.RecurrenceId, CultureInfo.InvariantCulture));
                Assert.Equal(Utc(zone.AtStrictly(day.At(new LocalTime(14, 0))).ToInstant()), o.Start);
            }
        }
    }

    [Fact]
    public async Task EveryZonesVTimezone_ForAnEndlessSeries_GivesNodaTimesOffsets_DecadesAhead()
    {
        // One endless monthly series at noon (no zone changes its clocks at noon) in every zone of the tz database.
        var rule = new Recurrence { Frequency = RecurrenceFrequency.Monthly, ByMonthDay = [15] };
        var zones = DateTimeZoneProviders.Tzdb.Ids.Where(id => DateTimeZoneProviders.Tzdb[id].Id == id).ToList();
        var ids = zones.ToDictionary(_ => Guid.NewGuid());
        var events = ids.Select(z => FeedUnderTest.Event(z.Key, z.Value, EventSchedule.Timed(new DateTime(2027, 1, 15, 12, 0, 0), new DateTime(2027, 1, 15, 13, 0, 0), z.Value))
            with { Series = new FeedSeries(rule, null, [], []) }).ToList();
        var feed = FeedUnderTest.Write(events);

        foreach (var expansion in (await CalendarParsers.ExpandWithAllAsync(feed, Utc(2061, 1, 1), Utc(2062, 1, 1)))
                     .Where(e => e.Parser is CalendarParsers.IcalJsName or CalendarParsers.LibicalName))
        {
            Assert.True(expansion.Rejection is null, $"{expansion.Parser}: {expansion.Rejection}");
            var wrong = new List<string>();
            foreach (var (id, zoneId) in ids)
            {
                var zone = DateTimeZoneProviders.Tzdb[zoneId];
                var read = expansion.Occurrences.Where(o => o.Uid == FeedUnderTest.Uid(id)).ToList();
                var expected = Enumerable.Range(1, 12).Select(m => Utc(zone.AtStrictly(new LocalDateTime(2061, m, 15, 12, 0)).ToInstant())).ToList();
                if (!read.Select(o => o.Start).SequenceEqual(expected))
                {
                    wrong.Add($"{zoneId}: read {string.Join(", ", read.Select(o => o.Start))}");
                }
            }

            Assert.True(wrong.Count == 0, $"{expansion.Parser}, {wrong.Count} of {zones.Count} zones:\n{string.Join("\n", wrong.Take(20))}");
        }
    }

    [Fact]
    public async Task ASeries_IsInAFeedWhenItReachesTheFeedsDates_Whole()
    {
        var tag = "reach-" + Guid.NewGuid().ToString("N")[..8];
        await CreateAsync("Endless weekly vigil", "2027-01-05T18:00:00", "2027-01-05T19:00:00", "Europe/London",
            new JsonObject { ["frequency"] = "weekly" }, tag);
        await CreateAsync("Picket until spring", "2027-01-06T07:00:00", "2027-01-06T09:00:00", "Europe/London",
            new JsonObject { ["frequency"] = "daily", ["byDay"] = new JsonArray("mo", "tu", "we", "th", "fr"), ["until"] = "2027-04-30" }, tag);
        await CreateAsync("Winter picket", "2027-01-07T07:00:00", "2027-01-07T09:00:00", "Europe/London",
            new JsonObject { ["frequency"] = "daily", ["count"] = 10 }, tag);

        var text = await client.GetStringAsync($"/feeds/events.ics?tag={tag}&from=2027-03-01&to=2027-03-31", TestContext.Current.CancellationToken);
        var summaries = VEvents(text).Select(v => Line(v, "SUMMARY")).ToList();
        Assert.Equal(["SUMMARY:Endless weekly vigil", "SUMMARY:Picket until spring"], summaries.Order(StringComparer.Ordinal));

        // Whole: from its first occurrence, with its rule, not cut to the feed's dates.
        Assert.Contains("DTSTART;TZID=Europe/London:20270106T070000", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFeedWithoutCancelledEvents_RemovesACancelledOccurrence_AndLeavesOutACancelledSeries()
    {
        var tag = "cancel-" + Guid.NewGuid().ToString("N")[..8];
        var vigil = await CreateAsync("Vigil with a rained-out date", "2027-02-04T18:00:00", "2027-02-04T19:00:00", "America/Toronto",
            new JsonObject { ["frequency"] = "weekly", ["count"] = 6 }, tag);
        await ChangeOccurrenceAsync(vigil, new DateOnly(2027, 2, 18), cancel: true, reason: "Rain");
        var calledOff = await CreateAsync("Called-off series", "2027-02-05T18:00:00", "2027-02-05T19:00:00", "America/Toronto",
            new JsonObject { ["frequency"] = "weekly", ["count"] = 6 }, tag);
        await (await client.SendJsonAsync(HttpMethod.Post, $"/api/events/{calledOff}/cancel", new { reason = "Organizers disbanded" }, await client.TokenForAsync("cupe")))
            .ExpectAsync(HttpStatusCode.OK);

        var shown = VEvents(await client.GetStringAsync($"/feeds/events.ics?tag={tag}", TestContext.Current.CancellationToken));
        Assert.Equal(3, shown.Count);
        Assert.Contains(shown, v => v.Contains("RECURRENCE-ID;TZID=America/Toronto:20270218T180000") && v.Contains("STATUS:CANCELLED"));

        var without = VEvents(await client.GetStringAsync($"/feeds/events.ics?tag={tag}&cancelled=exclude", TestContext.Current.CancellationToken));
        var only = Assert.Single(without);
        Assert.Contains("SUMMARY:Vigil with a rained-out date", only);
        Assert.Contains("EXDATE;TZID=America/Toronto:20270218T180000", only);
    }

    [Fact]
    public async Task ChangingAnOccurrence_ChangesTheCachedFeed()
    {
        var tag = "change-" + Guid.NewGuid().ToString("N")[..8];
        var slug = await CreateAsync("Vigil that moves once", "2027-05-06T18:00:00", "2027-05-06T19:00:00", "Europe/London",
            new JsonObject { ["frequency"] = "weekly", ["count"] = 4 }, tag);
        var url = $"/feeds/events.ics?tag={tag}";
        using var before = await client.GetAsync(url, TestContext.Current.CancellationToken);
        var etag = before.Headers.ETag!;

        await ChangeOccurrenceAsync(slug, new DateOnly(2027, 5, 13), title: "Vigil at the embassy instead");

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(etag);
        using var after = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var text = await after.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("RECURRENCE-ID;TZID=Europe/London:20270513T180000", text, StringComparison.Ordinal);
        Assert.Contains("SUMMARY:Vigil at the embassy instead", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonLd_ShowsASeriesRule_AsASchemaOrgSchedule()
    {
        var slug = await CreateAsync("Thursday vigil (schedule)", "2027-01-07T18:00:00", "2027-01-07T19:30:00", "America/Toronto",
            new JsonObject { ["frequency"] = "weekly", ["byDay"] = new JsonArray("th"), ["until"] = "2027-06-24", ["exceptDates"] = new JsonArray("2027-02-11") });
        await ChangeOccurrenceAsync(slug, new DateOnly(2027, 3, 4), cancel: true, reason: "Snow");
        var monthly = await CreateAsync("Last Friday assembly", "2027-01-29T19:00:00", "2027-01-29T21:00:00", "America/Toronto",
            new JsonObject { ["frequency"] = "monthly", ["byDay"] = new JsonArray("-1fr") });

        var schedule = (await JsonLdAsync(slug))["eventSchedule"]!;
        Assert.Equal("Schedule", (string?)schedule["@type"]);
        Assert.Equal("2027-01-07", (string?)schedule["startDate"]);
        Assert.Equal("2027-06-24", (string?)schedule["endDate"]);
        Assert.Equal("P1W", (string?)schedule["repeatFrequency"]);
        Assert.Equal(["https://schema.org/Thursday"], schedule["byDay"]!.AsArray().Select(d => (string?)d));
        Assert.Equal("18:00:00", (string?)schedule["startTime"]);
        Assert.Equal("19:30:00", (string?)schedule["endTime"]);
        Assert.Equal("PT1H30M", (string?)schedule["duration"]);
        Assert.Equal("America/Toronto", (string?)schedule["scheduleTimezone"]);
        Assert.Equal(["2027-02-11", "2027-03-04"], schedule["exceptDate"]!.AsArray().Select(d => (string?)d));

        // schema.org cannot say "the last Friday": no schedule rather than a wrong one.
        Assert.Null((await JsonLdAsync(monthly))["eventSchedule"]);
    }

    [Fact]
    public async Task Atom_ShowsASeriesOnce()
    {
        var slug = await CreateAsync("Daily picket at the depot", "2026-11-02T07:00:00", "2026-11-02T09:00:00", "America/Toronto",
            new JsonObject { ["frequency"] = "daily", ["byDay"] = new JsonArray("mo", "tu", "we", "th", "fr"), ["until"] = "2027-01-29" });
        Guid id;
        await using (var scope = factory.CreateScope(out var db))
        {
            id = await db.Events.Where(e => e.Slug == slug).Select(e => e.Id).SingleAsync(TestContext.Current.CancellationToken);
        }

        var atom = XDocument.Parse(await client.GetStringAsync("/feeds/organizations/cupe.atom", TestContext.Current.CancellationToken));
        XNamespace ns = "http://www.w3.org/2005/Atom";
        var entries = atom.Root!.Elements(ns + "entry").Where(e => e.Element(ns + "id")!.Value.EndsWith($"/{id:D}", StringComparison.Ordinal)).ToList();
        var entry = Assert.Single(entries);
        Assert.EndsWith(" · repeats", entry.Element(ns + "summary")!.Value, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private async Task<string> CreateAsync(string title, string start, string? end, string zone, JsonObject recurrence, string? tag = null)
    {
        var body = WriteClient.EventBody(title, start, end ?? start);
        if (end is null)
        {
            body.Remove("end");
        }

        body["kind"] = "vigil";
        body["timeZone"] = zone;
        body.Remove("place");
        body["tags"] = new JsonArray(tag ?? "series");
        body["recurrence"] = recurrence;
        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, await client.TokenForAsync("cupe"))).ExpectAsync(HttpStatusCode.Created);
        return (string)created["slug"]!;
    }

    /// <summary>PATCH /api/events/{slug}/occurrences/{date}, as the series' host.</summary>
    private async Task ChangeOccurrenceAsync(string slug, DateOnly date, bool cancel = false, string? reason = null, string? title = null)
    {
        var patch = new JsonObject();
        if (cancel)
        {
            patch["status"] = "cancelled";
            patch["statusReason"] = reason;
        }

        if (title is not null)
        {
            patch["title"] = title;
        }

        await (await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}/occurrences/{date:yyyy-MM-dd}", patch, await client.TokenForAsync("cupe"), "application/merge-patch+json"))
            .ExpectAsync(HttpStatusCode.OK);
    }

    private async Task<JsonNode> JsonLdAsync(string slug)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/events/{slug}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/ld+json"));
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>Each VEVENT's content lines, unfolded.</summary>
    private static List<List<string>> VEvents(string text)
    {
        var lines = text.Replace("\r\n ", "", StringComparison.Ordinal).Split("\r\n");
        var events = new List<List<string>>();
        List<string>? current = null;
        foreach (var line in lines)
        {
            if (line == "BEGIN:VEVENT")
            {
                current = [];
            }
            else if (line == "END:VEVENT")
            {
                events.Add(current!);
                current = null;
            }
            else
            {
                current?.Add(line);
            }
        }

        return events;
    }

    private static string Line(List<string> vevent, string name) =>
        vevent.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal) || l.StartsWith(name + ";", StringComparison.Ordinal));

    private static string Toronto(string date, int hour, int minute) =>
        Utc(DateTimeZoneProviders.Tzdb["America/Toronto"].AtStrictly(LocalDate.FromDateOnly(DateOnly.Parse(date, CultureInfo.InvariantCulture)).At(new LocalTime(hour, minute))).ToInstant());

    private static DateTimeOffset Utc(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);

    private static string Utc(Instant instant) => Utc(instant.ToDateTimeOffset());

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
