using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Organizer.Domain.Events;

namespace Organizer.Api.IntegrationTests;

/// <summary>Calendar feeds as calendar apps read them: parsed by ical.js, checked against the database.</summary>
public sealed class FeedTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string UidDomain = "organizer.local";
    private readonly HttpClient client = factory.CreateClient();

    public static TheoryData<string, string> FeedsAndTheirListQueries => new()
    {
        { "/feeds/all.ics", "" },
        { "/feeds/organizations/ilps-canada.ics", "organization=ilps-canada" },
        { "/feeds/organizations/latin-american-and-caribbean-solidarity-network.ics", "organization=latin-american-and-caribbean-support-network" },
        { "/feeds/cities/toronto.ics", "city=toronto" },
        { "/feeds/kinds/rally.ics", "kind=rally" },
        { "/feeds/events.ics?country=PE&from=2023-01-01", "country=PE&from=2023-01-01" },
        { "/feeds/events.ics?tag=bolivia&city=Toronto", "tag=bolivia&city=Toronto" },
        { "/api/events/2022-06-01-ilps-in-canada-5th-general-assembly.ics", "organization=ilps-canada&kind=assembly&to=2022-06-01" },
    };

    [Theory]
    [MemberData(nameof(FeedsAndTheirListQueries))]
    public async Task EveryFeedKind_ParsesInIcalJs_WithExactlyTheDatabasesEvents(string feedUrl, string listQuery)
    {
        var expected = await client.GetAllEventsAsync(listQuery);
        Assert.NotEmpty(expected);

        var feed = await IcalJs.ParseAsync(await client.GetStringAsync(feedUrl, TestContext.Current.CancellationToken));

        var events = feed.Array("events");
        Assert.Equal(expected.Count, events.Count);
        var ids = await IdsAsync(expected.Slugs());
        var stored = await StoredAsync(expected.Slugs());
        foreach (var item in expected)
        {
            var slug = (string)item["slug"]!;
            var vevent = events.SingleOrDefault(e => (string)e!["uid"]! == $"{ids[slug]:D}@{UidDomain}");
            Assert.True(vevent is not null, $"{feedUrl} has no VEVENT for {slug}");
            // A session names its assembly too, so that alike-named sessions are told apart.
            var parent = stored[slug].Parent;
            Assert.Equal((string)item["title"]! + (parent is null ? "" : " — " + parent.Title), (string)vevent["summary"]!);
            Assert.Equal((bool)item["allDay"]!, (bool)vevent["allDay"]!);
            Assert.Equal(stored[slug].Sequence, (int)vevent["sequence"]!);
            Assert.Equal(ExpectedStatus((string)item["status"]!), (string)vevent["status"]!);
            if ((bool)item["allDay"]!)
            {
                // All-day DTEND is exclusive: the day after the inclusive last day the API reports. A date known only to
                // the week, month or year is one day, its first known one.
                var vague = stored[slug].Schedule.Precision is Domain.Common.DatePrecision.Week or Domain.Common.DatePrecision.Month or Domain.Common.DatePrecision.Year;
                Assert.Equal((string)item["start"]!, (string)vevent["start"]!);
                Assert.Equal(DateOnly.Parse((string)item[vague ? "start" : "end"]!).AddDays(1).ToString("yyyy-MM-dd"), (string)vevent["end"]!);
            }
            else
            {
                Assert.Equal(stored[slug].Schedule.StartsAt!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), (string)vevent["start"]!);
            }

            Assert.Equal(Seconds(stored[slug].UpdatedAt), (string)vevent["dtstamp"]!);
            Assert.Equal(Seconds(stored[slug].UpdatedAt), (string)vevent["lastModified"]!);
        }
    }

    [Fact]
    public async Task Calendar_IsAPublishedSnapshot_NamedAndWithRefreshHints()
    {
        var text = await client.GetStringAsync("/feeds/organizations/communist-party-of-canada.ics", TestContext.Current.CancellationToken);
        var feed = await IcalJs.ParseAsync(text);

        var calendar = feed["calendar"]!;
        Assert.Equal("2.0", (string)calendar["version"]!);
        Assert.Contains("Organizer", (string)calendar["prodid"]!);
        Assert.Null(calendar["method"]);
        Assert.Equal("Organizer — Communist Party of Canada", (string)calendar["name"]!);
        Assert.Equal("Organizer — Communist Party of Canada", (string)calendar["xWrCalname"]!);
        Assert.NotNull((string?)calendar["xWrCaldesc"]);
        Assert.Equal("PT1H", (string)calendar["refreshInterval"]!);
        Assert.Equal("DURATION", (string)calendar["refreshIntervalValueParam"]!);
        Assert.Equal("PT1H", (string)calendar["xPublishedTtl"]!);
        Assert.All(feed.Array("events"), e => Assert.Null(e!["organizer"]));
        Assert.DoesNotContain("ORGANIZER", text);

        var rally = feed.Array("events").Single()!;
        Assert.Contains("Communist Party of Canada (host)", rally.Array("contacts").Select(c => (string)c!));
        Assert.Contains("rally", rally.Array("categories").Select(c => (string)c!));
        Assert.Contains("Dozens", (string)rally["description"]!);
        Assert.Contains("Matt Cohen Park", (string)rally["location"]!);
        Assert.NotNull(rally["geo"]);
        Assert.EndsWith("/api/events/2020-10-18-toronto-no-new-coup-in-bolivia-rally", (string)rally["url"]!);
    }

    [Fact]
    public async Task AssemblySessions_AreTheirOwnEvents_RelatedToTheAssembly()
    {
        var feed = await IcalJs.ParseAsync(await client.GetStringAsync("/feeds/organizations/ilps-canada.ics", TestContext.Current.CancellationToken));
        var ids = await IdsAsync(["2022-06-01-ilps-in-canada-5th-general-assembly", "2022-06-01-blockade-of-cansec-conference-entrance"]);
        var assemblyUid = $"{ids["2022-06-01-ilps-in-canada-5th-general-assembly"]:D}@{UidDomain}";

        var sessions = feed.Array("events").Where(e => (string?)e!["relatedTo"] == assemblyUid).ToList();

        Assert.True(sessions.Count >= 8);
        Assert.Contains(sessions, s => (string)s!["uid"]! == $"{ids["2022-06-01-blockade-of-cansec-conference-entrance"]:D}@{UidDomain}");
        var assembly = feed.Array("events").Single(e => (string)e!["uid"]! == assemblyUid)!;
        Assert.Equal("2022-06-01", (string)assembly["start"]!);
        Assert.Equal("2022-06-05", (string)assembly["end"]!);
    }

    [Fact]
    public async Task TimedEvent_CarriesItsIanaZone_WithAVtimezone_AndTheRightUtcInstant()
    {
        var slug = await AddEventAsync("timed-rally-toronto", EventSchedule.Timed(new DateTime(2026, 12, 5, 14, 0, 0), new DateTime(2026, 12, 5, 16, 0, 0), "America/Toronto"));
        await AddEventAsync("timed-vigil-lima", EventSchedule.Timed(new DateTime(2026, 7, 10, 18, 30, 0), null, "America/Lima"));

        var text = await client.GetStringAsync("/feeds/all.ics", TestContext.Current.CancellationToken);
        var feed = await IcalJs.ParseAsync(text);

        Assert.Contains("DTSTART;TZID=America/Toronto:20261205T140000", text);
        Assert.Contains("America/Toronto", feed.Array("timezones").Select(t => (string)t!));
        Assert.Contains("America/Lima", feed.Array("timezones").Select(t => (string)t!));
        var toronto = feed.Array("events").Single(e => (string)e!["summary"]! == slug)!;
        Assert.Equal("America/Toronto", (string)toronto["startTzid"]!);
        Assert.Equal("2026-12-05T19:00:00Z", (string)toronto["start"]!);
        Assert.Equal("2026-12-05T21:00:00Z", (string)toronto["end"]!);
        var lima = feed.Array("events").Single(e => (string)e!["summary"]! == "timed-vigil-lima")!;
        Assert.Equal("2026-07-10T23:30:00Z", (string)lima["start"]!);
    }

    [Fact]
    public async Task CancelledEvent_StaysInTheFeedAsCancelled_WithAHigherSequence_UnlessExcluded()
    {
        var slug = await AddEventAsync("to-be-cancelled", EventSchedule.AllDayRange(new DateOnly(2026, 12, 12), new DateOnly(2026, 12, 12), "America/Toronto"));
        var before = await VEventAsync("/feeds/all.ics", slug);

        await UpdateAsync(slug, e => e.Status = EventStatus.Cancelled);

        var after = await VEventAsync("/feeds/all.ics", slug);
        Assert.Equal("CONFIRMED", (string)before["status"]!);
        Assert.Equal("CANCELLED", (string)after["status"]!);
        Assert.True((int)after["sequence"]! > (int)before["sequence"]!);
        var excluded = await IcalJs.ParseAsync(await client.GetStringAsync("/feeds/all.ics?cancelled=exclude", TestContext.Current.CancellationToken));
        Assert.DoesNotContain(excluded.Array("events"), e => (string)e!["summary"]! == slug);
    }

    [Fact]
    public async Task VisibleChange_RaisesSequence_MovesDtstamp_AndRefreshesTheCachedFeed()
    {
        var slug = await AddEventAsync("title-will-change", EventSchedule.AllDayRange(new DateOnly(2026, 12, 20), new DateOnly(2026, 12, 20), "America/Toronto"));
        using var first = await client.GetAsync("/feeds/all.ics", TestContext.Current.CancellationToken);
        var firstTag = first.Headers.ETag!;
        var before = await VEventAsync("/feeds/all.ics", slug);

        // A repeat with the validator is a 304, from the output cache.
        using (var repeat = await ConditionalGetAsync("/feeds/all.ics", firstTag))
        {
            Assert.Equal(HttpStatusCode.NotModified, repeat.StatusCode);
        }

        await Task.Delay(1100, TestContext.Current.CancellationToken); // DTSTAMP has whole seconds
        await UpdateAsync(slug, e => e.Title = "Title changed");

        using var changed = await ConditionalGetAsync("/feeds/all.ics", firstTag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(firstTag, changed.Headers.ETag);
        var feed = await IcalJs.ParseAsync(await changed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var after = feed.Array("events").Single(e => (string)e!["uid"]! == (string)before["uid"]!)!;
        Assert.Equal("Title changed", (string)after["summary"]!);
        Assert.Equal((int)before["sequence"]! + 1, (int)after["sequence"]!);
        var stored = (await StoredAsync([slug]))[slug];
        Assert.Equal(Seconds(stored.UpdatedAt), (string)after["dtstamp"]!);
        Assert.NotEqual((string)before["dtstamp"]!, (string)after["dtstamp"]!);
        Assert.True(changed.Content.Headers.LastModified > first.Content.Headers.LastModified);

        using var again = await ConditionalGetAsync("/feeds/all.ics", changed.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task NotModified_IsAlsoAnsweredToIfModifiedSince()
    {
        using var first = await client.GetAsync("/feeds/kinds/picket.ics", TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feeds/kinds/picket.ics");
        request.Headers.IfModifiedSince = first.Content.Headers.LastModified;

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task LastModified_NeverMovesBackwards_WhenAnEventLeavesTheFeed()
    {
        var slug = await AddEventAsync("will-be-deleted", EventSchedule.AllDayRange(new DateOnly(2027, 1, 5), new DateOnly(2027, 1, 5), "America/Toronto"));
        using var before = await client.GetAsync("/feeds/all.ics", TestContext.Current.CancellationToken);

        await using (var scope = factory.CreateScope(out var db))
        {
            db.Events.Remove(await db.Events.SingleAsync(e => e.Slug == slug, TestContext.Current.CancellationToken));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        using var after = await client.GetAsync("/feeds/all.ics", TestContext.Current.CancellationToken);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        Assert.True(after.Content.Headers.LastModified >= before.Content.Headers.LastModified);
        Assert.DoesNotContain(slug, await after.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task HostileTitle_CannotAddAComponent_AndControlCharactersAreStripped()
    {
        await AddEventAsync("Rally\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@example\r\nSUMMARY:injected", EventSchedule.AllDayRange(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 1), "America/Toronto"), slug: "crlf-title");
        // PostgreSQL cannot store a NUL at all; the writer's own NUL handling is unit-tested.
        await AddEventAsync("Bell\u0007 and SOH\u0001 and ESC\u001b here", EventSchedule.AllDayRange(new DateOnly(2026, 12, 2), new DateOnly(2026, 12, 2), "America/Toronto"), slug: "control-title");
        try
        {
            var expectedCount = (await client.GetAllEventsAsync()).Count;

            var text = await client.GetStringAsync("/feeds/all.ics", TestContext.Current.CancellationToken);
            var feed = await IcalJs.ParseAsync(text);

            Assert.Equal(expectedCount, feed.Array("events").Count);
            Assert.DoesNotContain(feed.Array("events"), e => (string)e!["uid"]! == "evil@example");
            Assert.Contains(feed.Array("events"), e => ((string)e!["summary"]!).Contains("END:VEVENT", StringComparison.Ordinal));
            Assert.Contains(feed.Array("events"), e => (string)e!["summary"]! == "Bell and SOH and ESC here");
            Assert.DoesNotContain('\u0007', text);
            Assert.DoesNotContain('\u0001', text);
        }
        finally
        {
            // Titles a feed must rewrite would fail the title-for-title comparison of a test that runs after this one.
            await using var scope = factory.CreateScope(out var db);
            // Saved through the context, so the cached feeds are evicted too.
            db.Events.RemoveRange(await db.Events.Where(e => e.Slug == "crlf-title" || e.Slug == "control-title").ToListAsync(TestContext.Current.CancellationToken));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Feed_IsServedAsAnInlineCalendar_CacheableForFiveMinutes_AndSupportsHead()
    {
        using var get = await client.GetAsync("/feeds/organizations/cupe.ics", TestContext.Current.CancellationToken);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/feeds/organizations/cupe.ics"), TestContext.Current.CancellationToken);

        Assert.Equal("text/calendar", get.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", get.Content.Headers.ContentType.CharSet);
        Assert.Equal("inline", get.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("canadian-union-of-public-employees.ics", get.Content.Headers.ContentDisposition.FileName);
        Assert.True(get.Headers.CacheControl!.Public);
        Assert.Equal(TimeSpan.FromMinutes(5), get.Headers.CacheControl.MaxAge);
        Assert.False(get.Headers.ETag!.IsWeak);
        Assert.Null(get.Content.Headers.ContentEncoding.FirstOrDefault());
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("/feeds/cities/atlantis.ics", HttpStatusCode.NotFound)]
    [InlineData("/feeds/organizations/no-such-group.ics", HttpStatusCode.NotFound)]
    [InlineData("/feeds/kinds/parade.ics", HttpStatusCode.NotFound)]
    [InlineData("/api/events/no-such-event.ics", HttpStatusCode.NotFound)]
    [InlineData("/feeds/events.ics?organization=no-such-group", HttpStatusCode.NotFound)]
    [InlineData("/feeds/events.ics?from=2022-13-01", HttpStatusCode.BadRequest)]
    [InlineData("/feeds/events.ics?kind=parade", HttpStatusCode.BadRequest)]
    [InlineData("/feeds/all.ics?cancelled=maybe", HttpStatusCode.BadRequest)]
    public async Task UnknownScopeOrBadFilter_IsAProblem(string url, HttpStatusCode expected)
    {
        var problem = await client.GetJsonAsync(url, expected);

        Assert.Equal((int)expected, (int)problem["status"]!);
    }

    private async Task<HttpResponseMessage> ConditionalGetAsync(string url, EntityTagHeaderValue etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(etag);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<JsonNode> VEventAsync(string feedUrl, string summary)
    {
        var feed = await IcalJs.ParseAsync(await client.GetStringAsync(feedUrl, TestContext.Current.CancellationToken));
        return feed.Array("events").Single(e => (string)e!["summary"]! == summary)!;
    }

    private async Task<string> AddEventAsync(string title, EventSchedule schedule, string? slug = null)
    {
        await using var scope = factory.CreateScope(out var db);
        db.Events.Add(new Event { Slug = slug ?? title, Title = title, Kind = EventKind.Rally, Schedule = schedule });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return title;
    }

    private async Task UpdateAsync(string slug, Action<Event> change)
    {
        await using var scope = factory.CreateScope(out var db);
        change(await db.Events.SingleAsync(e => e.Slug == slug, TestContext.Current.CancellationToken));
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    private async Task<Dictionary<string, Guid>> IdsAsync(IReadOnlyCollection<string> slugs)
    {
        await using var scope = factory.CreateScope(out var db);
        return await db.Events.Where(e => slugs.Contains(e.Slug)).ToDictionaryAsync(e => e.Slug, e => e.Id, TestContext.Current.CancellationToken);
    }

    private async Task<Dictionary<string, Event>> StoredAsync(IReadOnlyCollection<string> slugs)
    {
        await using var scope = factory.CreateScope(out var db);
        return await db.Events.AsNoTracking().Include(e => e.Parent).Where(e => slugs.Contains(e.Slug)).ToDictionaryAsync(e => e.Slug, TestContext.Current.CancellationToken);
    }

    private static string Seconds(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private static string ExpectedStatus(string status) => status switch
    {
        "cancelled" => "CANCELLED",
        "scheduled" => "CONFIRMED",
        _ => "TENTATIVE",
    };
}
