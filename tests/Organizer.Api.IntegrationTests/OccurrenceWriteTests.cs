using System.Net;
using System.Text.Json.Nodes;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// One date of a series (issue 13): read at /api/events/{slug}/occurrences/{date}, changed with a merge patch (time,
/// place, title, status), removed with DELETE, and the series ended from a date on. A change to one date raises that
/// date's SEQUENCE and never the series'; a change to the rule raises the series'.
/// </summary>
public sealed class OccurrenceWriteTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Host = "communist-party-of-canada";
    private const string MergePatch = "application/merge-patch+json";

    private readonly HttpClient client = factory.CreateClient();

    /// <summary>A weekly Thursday vigil at 18:00 in Toronto from 2030-01-03; answers its slug and ETag.</summary>
    private async Task<(string Slug, string ETag)> VigilAsync(string token, JsonObject? recurrence = null, string visibility = "public", string? title = null)
    {
        var body = WriteClient.EventBody(title ?? $"Thursday vigil {Guid.NewGuid():N}", "2030-01-03T18:00:00", "2030-01-03T19:00:00");
        body["kind"] = "vigil";
        body["visibility"] = visibility;
        body["recurrence"] = recurrence ?? new JsonObject { ["frequency"] = "weekly", ["byDay"] = new JsonArray("th"), ["count"] = 10 };
        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token);
        var created = await response.ExpectAsync(HttpStatusCode.Created);
        return ((string)created["slug"]!, response.Headers.ETag!.Tag);
    }

    private Task<HttpResponseMessage> PatchAsync(string slug, string date, JsonObject patch, string? token, string? ifMatch = null) =>
        client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}/occurrences/{date}", patch, token, MergePatch, ifMatch);

    private static string[] Errors(JsonNode problem, string field) =>
        problem["errors"]?[field]?.AsArray().Select(e => (string)e!).ToArray() ?? throw new Xunit.Sdk.XunitException($"No error on '{field}': {problem.ToJsonString()}");

    [Fact]
    public async Task CancellingOneDate_ShowsItCancelled_RaisesOnlyItsOwnSequence_AndMovesTheSeriesVersion()
    {
        var token = await client.TokenForAsync(Host);
        var (slug, etag) = await VigilAsync(token);
        var before = await client.GetJsonAsync($"/api/events/{slug}");

        using var response = await PatchAsync(slug, "2030-01-17", new JsonObject { ["status"] = "cancelled", ["statusReason"] = "Storm warning." }, token, etag);
        var cancelled = await response.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(slug, (string)cancelled["series"]!);
        Assert.Equal("2030-01-17", (string)cancelled["occurrence"]!);
        Assert.Equal("cancelled", (string)cancelled["status"]!);
        Assert.Equal("Storm warning.", (string)cancelled["statusReason"]!);
        Assert.Equal("2030-01-17T18:00:00-05:00", (string)cancelled["start"]!);
        Assert.Equal("2030-01-17T19:00:00-05:00", (string)cancelled["end"]!);
        Assert.Equal((string)before["title"]!, (string)cancelled["title"]!);
        Assert.True((bool)cancelled["changed"]!);
        Assert.Equal((int)before["sequence"]! + 1, (int)cancelled["sequence"]!);

        // Read back as anyone would: the same occurrence; the series itself is not re-sequenced, but its version moved.
        var read = await client.GetJsonAsync($"/api/events/{slug}/occurrences/2030-01-17");
        Assert.Equal(cancelled.ToJsonString(), read.ToJsonString());
        var after = await client.GetJsonAsync($"/api/events/{slug}");
        Assert.Equal((int)before["sequence"]!, (int)after["sequence"]!);
        Assert.True((DateTimeOffset)after["updatedAt"]! > (DateTimeOffset)before["updatedAt"]!);
        Assert.Contains(after["recurrence"]!["overrides"]!.AsArray(), o => (string)o!["occurrence"]! == "2030-01-17" && (string)o["status"]! == "cancelled");
        Assert.NotEqual(etag, response.Headers.ETag!.Tag);

        // The old version no longer matches; the new one does, and another change raises the date's sequence again.
        var stale = await (await PatchAsync(slug, "2030-01-17", new JsonObject { ["title"] = "x" }, token, etag)).ExpectAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(412, (int)stale["status"]!);
        var retitled = await (await PatchAsync(slug, "2030-01-17", new JsonObject { ["title"] = "Vigil (called off)" }, token, response.Headers.ETag!.Tag))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Vigil (called off)", (string)retitled["title"]!);
        Assert.Equal("cancelled", (string)retitled["status"]!);
        Assert.Equal((int)cancelled["sequence"]! + 1, (int)retitled["sequence"]!);
    }

    [Fact]
    public async Task CancellingADate_WithoutAReason_Is400_AsCancellingAnEventIs()
    {
        var token = await client.TokenForAsync(Host);
        var (slug, _) = await VigilAsync(token);

        var problem = await (await PatchAsync(slug, "2030-01-10", new JsonObject { ["status"] = "cancelled" }, token)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains(Errors(problem, "statusReason"), e => e.Contains("cancelled", StringComparison.Ordinal));

        var bad = await (await PatchAsync(slug, "2030-01-10", new JsonObject { ["status"] = "pending" }, token)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains(Errors(bad, "status"), e => e.Contains("scheduled, cancelled, postponed", StringComparison.Ordinal));
        var unknown = await (await PatchAsync(slug, "2030-01-10", new JsonObject { ["colour"] = "red" }, token)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("colour", (string)unknown["detail"]!, StringComparison.Ordinal);
        await (await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}/occurrences/2030-01-10", new JsonObject { ["title"] = "x" }, token))
            .ExpectAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task MovingADate_KeepsItsName_RefusesATimeTheClocksSkip_AndNullPutsItBack()
    {
        var token = await client.TokenForAsync(Host);
        var (slug, _) = await VigilAsync(token, new JsonObject { ["frequency"] = "weekly", ["byDay"] = new JsonArray("th"), ["until"] = "2030-06-27" });

        // 2030-03-07 is a Thursday before Toronto springs forward (2030-03-10): moved to the Saturday after, at 14:00.
        var moved = await (await PatchAsync(slug, "2030-03-07", new JsonObject { ["start"] = "2030-03-09T14:00:00", ["end"] = "2030-03-09T16:30:00" }, token))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("2030-03-07", (string)moved["occurrence"]!);
        Assert.Equal("2030-03-09T14:00:00-05:00", (string)moved["start"]!);
        Assert.Equal("2030-03-09T16:30:00-05:00", (string)moved["end"]!);

        // An end alone keeps the rule's start.
        var longer = await (await PatchAsync(slug, "2030-03-14", new JsonObject { ["end"] = "2030-03-14T20:00:00" }, token)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("2030-03-14T18:00:00-04:00", (string)longer["start"]!);
        Assert.Equal("2030-03-14T20:00:00-04:00", (string)longer["end"]!);

        var gap = await (await PatchAsync(slug, "2030-03-07", new JsonObject { ["start"] = "2030-03-10T02:30:00", ["end"] = null }, token))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains(Errors(gap, "start"), e => e.Contains("does not exist in America/Toronto", StringComparison.Ordinal));
        var backwards = await (await PatchAsync(slug, "2030-03-07", new JsonObject { ["end"] = "2030-03-09T13:00:00" }, token)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains(Errors(backwards, "end"), e => e.Contains("must not be before", StringComparison.Ordinal));
        var tooLong = await (await PatchAsync(slug, "2030-03-07", new JsonObject { ["end"] = "2030-05-09T13:00:00" }, token)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains(Errors(tooLong, "end"), e => e.Contains("at most 31 days", StringComparison.Ordinal));
        var dateOnly = await (await PatchAsync(slug, "2030-03-07", new JsonObject { ["start"] = "2030-03-09" }, token)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(Errors(dateOnly, "start"));

        // Back to the series in every field: the date is the series' own again.
        var back = await (await PatchAsync(slug, "2030-03-07", new JsonObject { ["start"] = null, ["end"] = null }, token)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("2030-03-07T18:00:00-05:00", (string)back["start"]!);
        Assert.False((bool)back["changed"]!);
        var series = await client.GetJsonAsync($"/api/events/{slug}");
        Assert.Equal(["2030-03-14"], series["recurrence"]!["overrides"]!.AsArray().Select(o => (string)o!["occurrence"]!));

        // Its subscribers saw SEQUENCE 1 for the date: the master that covers it again does not fall behind.
        Assert.True((int)back["sequence"]! >= (int)moved["sequence"]!);
    }

    [Fact]
    public async Task AnAllDaySeries_TakesDates()
    {
        var token = await client.TokenForAsync(Host);
        var body = WriteClient.EventBody($"Monthly assembly {Guid.NewGuid():N}", "2030-02-03", "2030-02-03");
        body["allDay"] = true;
        body["kind"] = "assembly";
        body["recurrence"] = new JsonObject { ["frequency"] = "monthly", ["byDay"] = new JsonArray("1su"), ["count"] = 6 };
        var slug = (string)(await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created))["slug"]!;

        var moved = await (await PatchAsync(slug, "2030-03-03", new JsonObject { ["start"] = "2030-03-09", ["end"] = "2030-03-10" }, token)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("2030-03-09", (string)moved["start"]!);
        Assert.Equal("2030-03-10", (string)moved["end"]!);
        var timed = await (await PatchAsync(slug, "2030-04-07", new JsonObject { ["start"] = "2030-04-07T10:00:00" }, token)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains(Errors(timed, "start"), e => e.Contains("is a date", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2030-01-11")] // a Friday: not a date of the rule
    [InlineData("2030-1-10")]
    [InlineData("tomorrow")]
    [InlineData("2031-01-02")] // a Thursday past the tenth occurrence
    [InlineData("2029-12-27")] // a Thursday before the first
    public async Task ADateTheSeriesDoesNotHave_Is404_ForEveryVerb(string date)
    {
        var token = await client.TokenForAsync(Host);
        var (slug, _) = await VigilAsync(token);

        var problem = await client.GetJsonAsync($"/api/events/{slug}/occurrences/{date}", HttpStatusCode.NotFound);
        Assert.Equal(404, (int)problem["status"]!);
        await (await PatchAsync(slug, date, new JsonObject { ["title"] = "x" }, token)).ExpectAsync(HttpStatusCode.NotFound);
        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}/occurrences/{date}", null, token)).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ASingleEvent_HasNoOccurrences_AndAPrivateSeriesIsNotThereForOthers()
    {
        var token = await client.TokenForAsync(Host);
        var single = (string)(await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody($"One rally {Guid.NewGuid():N}", "2030-01-03T18:00:00", "2030-01-03T19:00:00"), token))
            .ExpectAsync(HttpStatusCode.Created))["slug"]!;
        await client.GetJsonAsync($"/api/events/{single}/occurrences/2030-01-03", HttpStatusCode.NotFound);
        await (await client.SendJsonAsync(HttpMethod.Post, $"/api/events/{single}/end-series", new JsonObject { ["from"] = "2030-02-01" }, token))
            .ExpectAsync(HttpStatusCode.NotFound);

        var (hidden, _) = await VigilAsync(token, visibility: "private");
        await client.GetJsonAsync($"/api/events/{hidden}/occurrences/2030-01-03", HttpStatusCode.NotFound);
        var other = await client.TokenForAsync("cupe");
        await (await client.SendJsonAsync(HttpMethod.Get, $"/api/events/{hidden}/occurrences/2030-01-03", null, other)).ExpectAsync(HttpStatusCode.NotFound);
        await (await PatchAsync(hidden, "2030-01-03", new JsonObject { ["title"] = "x" }, other)).ExpectAsync(HttpStatusCode.NotFound);
        var own = await (await client.SendJsonAsync(HttpMethod.Get, $"/api/events/{hidden}/occurrences/2030-01-03", null, token)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(hidden, (string)own["series"]!);
    }

    [Fact]
    public async Task RemovingADate_AddsAnExdate_DropsItsChange_RaisesTheSeriesSequence_AndIsThen404()
    {
        var token = await client.TokenForAsync(Host);
        var (slug, etag) = await VigilAsync(token);
        await (await PatchAsync(slug, "2030-01-24", new JsonObject { ["title"] = "Vigil at the consulate" }, token)).ExpectAsync(HttpStatusCode.OK);
        var before = await client.GetJsonAsync($"/api/events/{slug}");

        var stale = await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}/occurrences/2030-01-24", null, token, ifMatch: etag);
        await stale.ExpectAsync(HttpStatusCode.PreconditionFailed);
        using var removed = await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}/occurrences/2030-01-24", null, token);
        await removed.ExpectAsync(HttpStatusCode.NoContent);

        await client.GetJsonAsync($"/api/events/{slug}/occurrences/2030-01-24", HttpStatusCode.NotFound);
        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}/occurrences/2030-01-24", null, token)).ExpectAsync(HttpStatusCode.NotFound);
        var after = await client.GetJsonAsync($"/api/events/{slug}");
        Assert.Equal(["2030-01-24"], after["recurrence"]!["exceptDates"]!.AsArray().Select(d => (string)d!));
        Assert.Empty(after["recurrence"]!["overrides"]!.AsArray());
        Assert.Equal((int)before["sequence"]! + 1, (int)after["sequence"]!);

        // Anyone else's token may not remove a date of it.
        var other = await client.TokenForAsync("cupe");
        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}/occurrences/2030-01-31", null, other)).ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task EndingACountedSeries_FromADate_GivesItAnEndDate_AndDropsWhatFollowed()
    {
        var token = await client.TokenForAsync(Host);
        var (slug, _) = await VigilAsync(token);
        await (await PatchAsync(slug, "2030-01-24", new JsonObject { ["title"] = "Kept" }, token)).ExpectAsync(HttpStatusCode.OK);
        await (await PatchAsync(slug, "2030-02-14", new JsonObject { ["title"] = "Dropped" }, token)).ExpectAsync(HttpStatusCode.OK);
        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}/occurrences/2030-01-17", null, token)).ExpectAsync(HttpStatusCode.NoContent);
        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}/occurrences/2030-02-21", null, token)).ExpectAsync(HttpStatusCode.NoContent);
        var before = await client.GetJsonAsync($"/api/events/{slug}");

        // From a Tuesday: the last occurrence is the Thursday before it.
        using var response = await client.SendJsonAsync(HttpMethod.Post, $"/api/events/{slug}/end-series", new JsonObject { ["from"] = "2030-02-12" }, token, idempotencyKey: "end-vigil");
        var ended = await response.ExpectAsync(HttpStatusCode.OK);
        var rule = ended["recurrence"]!;
        Assert.Null(rule["count"]);
        Assert.Equal("2030-02-11", (string)rule["until"]!);
        Assert.Equal("2030-02-07", (string)rule["lastDate"]!);
        Assert.Equal("FREQ=WEEKLY;BYDAY=TH;UNTIL=20300212T045959Z", (string)rule["rrule"]!);
        Assert.Equal(["2030-01-17"], rule["exceptDates"]!.AsArray().Select(d => (string)d!));
        Assert.Equal(["2030-01-24"], rule["overrides"]!.AsArray().Select(o => (string)o!["occurrence"]!));
        Assert.Equal((int)before["sequence"]! + 1, (int)ended["sequence"]!);
        await client.GetJsonAsync($"/api/events/{slug}/occurrences/2030-02-14", HttpStatusCode.NotFound);
        await client.GetJsonAsync($"/api/events/{slug}/occurrences/2030-02-07");

        // A retry with the same key gets the same answer; ending it again from a later date changes nothing.
        using var retry = await client.SendJsonAsync(HttpMethod.Post, $"/api/events/{slug}/end-series", new JsonObject { ["from"] = "2030-02-12" }, token, idempotencyKey: "end-vigil");
        Assert.Equal(ended.ToJsonString(), (await retry.ExpectAsync(HttpStatusCode.OK)).ToJsonString());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        var again = await (await client.SendJsonAsync(HttpMethod.Post, $"/api/events/{slug}/end-series", new JsonObject { ["from"] = "2030-06-01" }, token)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("2030-02-11", (string)again["recurrence"]!["until"]!);
        Assert.Equal((int)ended["sequence"]!, (int)again["sequence"]!);
    }

    [Theory]
    [InlineData("2030-01-03", "would leave nothing")]
    [InlineData("2029-12-01", "would leave nothing")]
    [InlineData("next week", "must be a date")]
    [InlineData(null, "must be a date")]
    public async Task EndingASeries_FromNoUsableDate_Is400_NamingFrom(string? from, string message)
    {
        var token = await client.TokenForAsync(Host);
        var (slug, _) = await VigilAsync(token);

        var problem = await (await client.SendJsonAsync(HttpMethod.Post, $"/api/events/{slug}/end-series", new JsonObject { ["from"] = from }, token))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains(Errors(problem, "from"), e => e.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PatchingASeries_WithAnRrule_ReplacesItsStoredParts_AndKeepsChangesOnDatesItStillHas()
    {
        var token = await client.TokenForAsync(Host);
        var (slug, _) = await VigilAsync(token);
        await (await PatchAsync(slug, "2030-01-10", new JsonObject { ["title"] = "Still a Thursday" }, token)).ExpectAsync(HttpStatusCode.OK);

        var patched = await (await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}",
            new JsonObject { ["recurrence"] = new JsonObject { ["rrule"] = "FREQ=WEEKLY;BYDAY=TH,SA;UNTIL=20300301" } }, token, MergePatch)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("FREQ=WEEKLY;BYDAY=TH,SA;UNTIL=20300302T045959Z", (string)patched["recurrence"]!["rrule"]!);
        Assert.Equal(["2030-01-10"], patched["recurrence"]!["overrides"]!.AsArray().Select(o => (string)o!["occurrence"]!));

        // A part replaces only itself, and an end date replaces a count.
        var counted = await (await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}",
            new JsonObject { ["recurrence"] = new JsonObject { ["count"] = 4 } }, token, MergePatch)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("FREQ=WEEKLY;BYDAY=TH,SA;COUNT=4", (string)counted["recurrence"]!["rrule"]!);
        var both = await (await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}",
            new JsonObject { ["recurrence"] = new JsonObject { ["rrule"] = "FREQ=DAILY", ["frequency"] = "daily" } }, token, MergePatch)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(Errors(both, "recurrence.rrule"));
    }

    [Fact]
    public async Task APrivateSeries_MovingADateToAPlace_NeverMakesThePlacePublic_APublicOneDoes()
    {
        var token = await client.TokenForAsync(Host);
        var marker = $"Px{Guid.NewGuid().ToString("N")[..8]}";
        var place = await NewPlaceAsync(token, $"Hall{marker}", $"Town{marker}");
        var (hidden, _) = await VigilAsync(token, visibility: "private");

        var moved = await (await PatchAsync(hidden, "2030-01-10", new JsonObject { ["place"] = place }, token)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(place, (string)moved["place"]!["slug"]!);

        var ct = TestContext.Current.CancellationToken;
        Assert.DoesNotContain(marker, await client.GetStringAsync("/api/places", ct));
        Assert.DoesNotContain(marker, await client.GetStringAsync("/api/cities", ct));
        await client.GetJsonAsync($"/api/places/{place}", HttpStatusCode.NotFound);
        await client.GetJsonAsync($"/api/cities/town{marker.ToLowerInvariant()}", HttpStatusCode.NotFound);
        Assert.DoesNotContain(marker, await client.GetStringAsync($"/api/search?q=Hall{marker}", ct));
        Assert.DoesNotContain(marker, await client.GetStringAsync("/api/events?from=2030-01-01&to=2030-12-31&limit=200", ct));
        var other = await client.TokenForAsync("cupe");
        await (await client.SendJsonAsync(HttpMethod.Get, $"/api/places/{place}", null, other)).ExpectAsync(HttpStatusCode.NotFound);

        // An organization listed on the private series sees where its date went, as it sees the series' own place.
        var listed = await client.TokenForAsync("young-communist-league-of-canada");
        await (await client.SendJsonAsync(HttpMethod.Get, $"/api/places/{place}", null, listed)).ExpectAsync(HttpStatusCode.OK);

        // Another organization cannot move its own series' date to a place it may not see.
        var (theirs, _) = await VigilAsync(other);
        var refused = await (await PatchAsync(theirs, "2030-01-10", new JsonObject { ["place"] = place }, other)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains(Errors(refused, "place"), e => e.Contains("No place", StringComparison.Ordinal));

        // A public series' moved date is the place's public use, as the series' own place would be.
        var (open, _) = await VigilAsync(token);
        await (await PatchAsync(open, "2030-01-17", new JsonObject { ["place"] = place }, token)).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains($"Hall{marker}", await client.GetStringAsync("/api/places", ct));
        await client.GetJsonAsync($"/api/places/{place}");

        // Back to the series' place: private again.
        await (await PatchAsync(open, "2030-01-17", new JsonObject { ["place"] = null }, token)).ExpectAsync(HttpStatusCode.OK);
        await client.GetJsonAsync($"/api/places/{place}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ChangingADate_RefreshesTheSeriesCachedFeeds_AndOnlyThose()
    {
        var token = await client.TokenForAsync(Host);
        var (slug, _) = await VigilAsync(token);
        var ct = TestContext.Current.CancellationToken;
        var urls = new[] { $"/api/events/{slug}.ics", $"/feeds/organizations/{Host}.ics" };
        const string unrelated = "/feeds/organizations/cupe.ics";
        foreach (var url in urls.Append(unrelated))
        {
            (await client.GetAsync(url, ct)).Dispose();
            using var cached = await client.GetAsync(url, ct);
            Assert.True(cached.Headers.Age is not null, $"{url} was not served from the cache.");
        }

        await (await PatchAsync(slug, "2030-01-10", new JsonObject { ["title"] = "Vigil moved indoors" }, token)).ExpectAsync(HttpStatusCode.OK);

        foreach (var url in urls)
        {
            using var after = await client.GetAsync(url, ct);
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.True(after.Headers.Age is null, $"{url} was served from the cache after a date of the series changed.");
        }

        // A date of a series is the series' data, not everyone's: a feed the series is not in stays cached.
        using var kept = await client.GetAsync(unrelated, ct);
        Assert.True(kept.Headers.Age is not null, $"{unrelated} was rendered again, though the series is not in it.");
    }

    private async Task<string> NewPlaceAsync(string token, string name, string city)
    {
        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/places",
            new JsonObject { ["name"] = name, ["address"] = "1 Hidden Lane", ["city"] = city, ["countryCode"] = "CA" }, token)).ExpectAsync(HttpStatusCode.Created);
        return (string)created["slug"]!;
    }
}
