using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// Input one organization could use to break another's pages or make the server fail: dates no output can show,
/// characters XML and PostgreSQL refuse, zone ids that only mean something on this server, nulls inside lists.
/// Each is refused with a 400 naming the field.
/// </summary>
public sealed class HostileInputTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private readonly HttpClient client = factory.CreateClient();
    private string token = "";

    public async ValueTask InitializeAsync() => token = await client.TokenForAsync("communist-party-of-canada");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The characters every text field refuses, as JSON escapes (a lone surrogate cannot be a .NET string sent as UTF-8).</summary>
    private static readonly string[] UnsafeCharacters = ["\\u0000", "\\ufffe", "\\uffff", "\\ufdd0", "\\ufdef", "\\ud83f\\udfff", "\\udbff\\udffe", "\\ud800", "\\udc00", "\\u0007"];

    public static TheoryData<string, string, string> EventDatesOutOfRange => new()
    {
        { """{"allDay":true,"start":"0001-01-01","end":"0001-01-01"}""", "start", "year 1" },
        { """{"allDay":true,"start":"2026-12-05","end":"9999-12-31"}""", "end", "year 9999" },
        { """{"start":"0001-01-01T00:00:00","end":null}""", "start", "timed, year 1" },
        { """{"start":"9999-12-31T22:00:00","end":"9999-12-31T23:00:00"}""", "start", "timed, year 9999" },
        { """{"allDay":true,"start":"1799-12-31","end":"1800-01-01"}""", "start", "a day before 1800" },
        { """{"allDay":true,"start":"2200-12-31","end":"2201-01-01"}""", "end", "a day after 2200" },
    };

    [Theory]
    [MemberData(nameof(EventDatesOutOfRange))]
    public async Task EventDatedOutsideTheYears1800To2200_Is400NamingTheFieldAndTheRange(string patch, string field, string why)
    {
        var body = (JsonObject)Organizer.Application.Common.MergePatch.Apply(WriteClient.EventBody(why), JsonNode.Parse(patch))!;

        var problem = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.BadRequest);

        var message = (string?)problem["errors"]?[field]?[0] ?? "";
        Assert.True(message.Contains("1800") && message.Contains("2200"), $"{why}: {problem.ToJsonString()}");
    }

    [Fact]
    public async Task EventDatedAtTheEdgesOfTheRange_IsAccepted()
    {
        var body = WriteClient.EventBody("Edge of the range");
        body["allDay"] = true;
        body["start"] = "1800-01-01";
        body["end"] = "2200-12-31";

        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created);

        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{created["slug"]}", null, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.NoContent);
    }

    /// <summary>The bounds are only useful if every output represents them: the summary, the timeline and both feeds.</summary>
    [Fact]
    public async Task EventsAtTheEdgesOfTheRange_KeepTheOrganizationsSummaryAndFeeds()
    {
        var a = await NewOrganizationAsync("Edge Collective");
        var bodies = new[]
        {
            (true, "1800-01-01", "2200-12-31", "America/Toronto"),
            (false, "1800-01-01T00:00:00", "1800-01-01T01:00:00", "Etc/GMT+12"),
            (false, "2200-12-31T22:00:00", "2200-12-31T23:59:00", "Pacific/Kiritimati"),
            (false, "2200-12-31T22:00:00", "2200-12-31T23:59:00", "Etc/GMT+12"),
        };
        foreach (var (allDay, start, end, zone) in bodies)
        {
            var body = WriteClient.EventBody($"Edge {start} {zone}", start, end);
            body["allDay"] = allDay;
            body["timeZone"] = zone;
            body["organizations"] = new JsonArray(new JsonObject { ["slug"] = a, ["role"] = "endorser" });
            await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created);
        }

        foreach (var url in new[]
        {
            $"/api/organizations/{a}/summary", $"/api/organizations/{a}/actions", $"/api/organizations/{a}/actions?when=upcoming",
            $"/feeds/organizations/{a}.ics", $"/feeds/organizations/{a}.atom", $"/api/events?organization={a}", $"/feeds/events.ics?organization={a}",
        })
        {
            using var read = await client.GetAsync(url, TestContext.Current.CancellationToken);
            Assert.True(read.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)read.StatusCode}");
        }
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    [InlineData("1799-12-31")]
    public async Task StatementIssuedOutsideTheYears1800To2200_Is400(string issuedOn)
    {
        var body = new { title = "On the coup", issuedOn, text = "We condemn it." };

        var problem = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/communist-party-of-canada/statements", body, token))
            .ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Contains("2200", (string?)problem["errors"]?["issuedOn"]?[0] ?? problem.ToJsonString());
    }

    /// <summary>Another organization's event at the end of time must not take A's summary and feeds down.</summary>
    [Fact]
    public async Task OrganizationNamedOnAnEventAtYear9999_KeepsItsSummaryAndFeeds()
    {
        var (a, b) = (await NewOrganizationAsync("Target Collective"), await NewOrganizationAsync("Prankster Front"));
        var bToken = await client.TokenForAsync(b);
        var body = WriteClient.EventBody("The end of time");
        body["allDay"] = true;
        body["start"] = "9999-12-31";
        body["end"] = "9999-12-31";
        body["organizations"] = new JsonArray(new JsonObject { ["slug"] = a, ["role"] = "endorser" });

        using var write = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, bToken);

        Assert.Equal(HttpStatusCode.BadRequest, write.StatusCode);
        foreach (var url in new[] { $"/api/organizations/{a}/summary", $"/api/organizations/{a}/actions", $"/feeds/organizations/{a}.ics", $"/feeds/organizations/{a}.atom" })
        {
            using var read = await client.GetAsync(url, TestContext.Current.CancellationToken);
            Assert.True(read.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)read.StatusCode}");
        }
    }

    [Theory]
    [InlineData("/api/events?from=0001-01-01&to=9999-12-31")]
    [InlineData("/api/events?from=9999-12-31")]
    [InlineData("/api/events?to=0001-01-01")]
    [InlineData("/feeds/events.ics?from=0001-01-01&to=9999-12-31")]
    [InlineData("/api/organizations/communist-party-of-canada/actions?from=0001-01-01&to=9999-12-31")]
    [InlineData("/api/organizations/communist-party-of-canada/actions?when=upcoming&from=9999-12-31")]
    [InlineData("/api/organizations/communist-party-of-canada/actions?to=0001-01-01")]
    public async Task DateFiltersAtTheEndsOfTheCalendar_AreNeverAServerError(string url)
    {
        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.True((int)response.StatusCode is 200 or 400, $"{url} answered {(int)response.StatusCode}");
    }

    /// <summary>Cursors are opaque, but nothing stops a client from crafting one at the ends of .NET's calendar.</summary>
    [Theory]
    [InlineData("/api/events?cursor=", "v1|0|{0}")]
    [InlineData("/api/events?cursor=", "v1|3155378975999999999|{0}")]
    [InlineData("/api/events?sort=desc&cursor=", "v1|0|{0}")]
    [InlineData("/api/organizations/communist-party-of-canada/actions?cursor=", "t2|0|1|0|{0}")]
    [InlineData("/api/organizations/communist-party-of-canada/actions?when=upcoming&cursor=", "t2|3155378975999999999|3|0|{0}")]
    public async Task CraftedCursorAtTheEndsOfTime_IsNeverAServerError(string url, string cursor)
    {
        var text = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, cursor, Guid.Empty.ToString("N"))));

        using var response = await client.GetAsync(url + text, TestContext.Current.CancellationToken);

        Assert.True((int)response.StatusCode is 200 or 400, $"{url}{text} answered {(int)response.StatusCode}");
    }

    /// <summary>Every text field of every write body, as (method, url, admin?, body with the field set to ⟪X⟫, field reported).</summary>
    public static TheoryData<string, string, bool, string, string> TextFields => new()
    {
        { "POST", "/api/events", false, """{"title":"Rally ⟪X⟫"}""", "title" },
        { "POST", "/api/events", false, """{"description":"Called ⟪X⟫"}""", "description" },
        { "POST", "/api/events", false, """{"place":"matt-cohen-park⟪X⟫"}""", "place" },
        { "POST", "/api/events", false, """{"place":null,"newPlace":{"name":"Hall⟪X⟫","city":"Toronto","countryCode":"CA"}}""", "newPlace.name" },
        { "POST", "/api/events", false, """{"place":null,"newPlace":{"name":"Hall","address":"1 Main St⟪X⟫","city":"Toronto","countryCode":"CA"}}""", "newPlace.address" },
        { "POST", "/api/events", false, """{"place":null,"newPlace":{"name":"Hall","city":"Toronto⟪X⟫","countryCode":"CA"}}""", "newPlace.city" },
        { "POST", "/api/events", false, """{"place":null,"newPlace":{"name":"Hall","city":"Toronto","region":"ON⟪X⟫","countryCode":"CA"}}""", "newPlace.region" },
        { "POST", "/api/events", false, """{"place":null,"newPlace":{"name":"Hall","city":"Toronto","countryCode":"CA","timeZone":"America/Toronto⟪X⟫"}}""", "newPlace.timeZone" },
        { "POST", "/api/events", false, """{"onlineUrl":"https://example.org/⟪X⟫"}""", "onlineUrl" },
        { "POST", "/api/events", false, """{"timeZone":"America/Toronto⟪X⟫"}""", "timeZone" },
        { "POST", "/api/events", false, """{"kind":"rally⟪X⟫"}""", "kind" },
        { "POST", "/api/events", false, """{"visibility":"public⟪X⟫"}""", "visibility" },
        { "POST", "/api/events", false, """{"start":"2026-12-05T14:00:00⟪X⟫"}""", "start" },
        { "POST", "/api/events", false, """{"host":"communist-party-of-canada⟪X⟫"}""", "host" },
        { "POST", "/api/events", false, """{"parent":"some-event⟪X⟫"}""", "parent" },
        { "POST", "/api/events", false, """{"organizations":[{"slug":"cupe⟪X⟫","role":"endorser"}]}""", "organizations[0].slug" },
        { "POST", "/api/events", false, """{"organizations":[{"slug":"cupe","role":"endorser⟪X⟫"}]}""", "organizations[0].role" },
        { "POST", "/api/events", false, """{"speakers":[{"name":"Ana⟪X⟫"}]}""", "speakers[0].name" },
        { "POST", "/api/events", false, """{"speakers":[{"name":"Ana","affiliation":"CUPE⟪X⟫"}]}""", "speakers[0].affiliation" },
        { "POST", "/api/events", false, """{"speakers":[{"name":"Ana","role":"chair⟪X⟫"}]}""", "speakers[0].role" },
        { "POST", "/api/events", false, """{"attendance":{"estimate":300,"reported":"organizers⟪X⟫"}}""", "attendance.reported" },
        { "POST", "/api/events", false, """{"tags":["bolivia⟪X⟫"]}""", "tags[0]" },
        { "POST", "/api/events", false, """{"demands":["Hands off ⟪X⟫"]}""", "demands[0]" },
        { "POST", "/api/events", false, """{"sources":[{"document":"Communiqué ⟪X⟫","quote":"q"}]}""", "sources[0].document" },
        { "POST", "/api/events", false, """{"sources":[{"document":"Communiqué","quote":"We ⟪X⟫"}]}""", "sources[0].quote" },
        { "POST", "/api/places", false, """{"name":"Hall⟪X⟫","city":"Toronto","countryCode":"CA"}""", "name" },
        { "POST", "/api/places", false, """{"name":"Hall","address":"⟪X⟫","city":"Toronto","countryCode":"CA"}""", "address" },
        { "POST", "/api/places", false, """{"name":"Hall","city":"Toronto⟪X⟫","countryCode":"CA"}""", "city" },
        { "POST", "/api/places", false, """{"name":"Hall","city":"Toronto","region":"⟪X⟫","countryCode":"CA"}""", "region" },
        { "POST", "/api/places", false, """{"name":"Hall","city":"Toronto","countryCode":"CA","timeZone":"⟪X⟫"}""", "timeZone" },
        { "POST", "/api/organizations", true, """{"name":"Front⟪X⟫"}""", "name" },
        { "POST", "/api/organizations", true, """{"name":"Front","slug":"front⟪X⟫"}""", "slug" },
        { "POST", "/api/organizations", true, """{"name":"Front","kind":"party⟪X⟫"}""", "kind" },
        { "POST", "/api/organizations", true, """{"name":"Front","homeCity":"Toronto⟪X⟫"}""", "homeCity" },
        { "POST", "/api/organizations", true, """{"name":"Front","homeCountryCode":"C⟪X⟫"}""", "homeCountryCode" },
        { "POST", "/api/organizations", true, """{"name":"Front","website":"https://example.org/⟪X⟫"}""", "website" },
        { "POST", "/api/organizations", true, """{"name":"Front","description":"We ⟪X⟫"}""", "description" },
        { "POST", "/api/organizations", true, """{"name":"Front","aliases":[{"name":"FR⟪X⟫"}]}""", "aliases[0].name" },
        { "POST", "/api/organizations", true, """{"name":"Front","aliases":[{"name":"FR","slug":"fr⟪X⟫"}]}""", "aliases[0].slug" },
        { "PATCH", "/api/organizations/cupe", true, """{"homeCity":"Ottawa⟪X⟫"}""", "homeCity" },
        { "POST", "/api/organizations/communist-party-of-canada/statements", false, """{"title":"On ⟪X⟫","issuedOn":"2026-01-01","text":"t"}""", "title" },
        { "POST", "/api/organizations/communist-party-of-canada/statements", false, """{"title":"On","issuedOn":"2026-01-01⟪X⟫","text":"t"}""", "issuedOn" },
        { "POST", "/api/organizations/communist-party-of-canada/statements", false, """{"title":"On","issuedOn":"2026-01-01","summary":"s⟪X⟫","text":"t"}""", "summary" },
        { "POST", "/api/organizations/communist-party-of-canada/statements", false, """{"title":"On","issuedOn":"2026-01-01","text":"t⟪X⟫"}""", "text" },
        { "POST", "/api/organizations/communist-party-of-canada/statements", false, """{"title":"On","issuedOn":"2026-01-01","text":"t","spokesperson":"Liz⟪X⟫"}""", "spokesperson" },
        { "POST", "/api/organizations/communist-party-of-canada/statements", false, """{"title":"On","issuedOn":"2026-01-01","text":"t","readAtEvent":"e⟪X⟫"}""", "readAtEvent" },
        { "POST", "/api/organizations/communist-party-of-canada/tokens", true, """{"label":"laptop⟪X⟫"}""", "label" },
        { "POST", "/api/events/2020-10-18-toronto-no-new-coup-in-bolivia-rally/cancel", false, """{"reason":"Rain⟪X⟫"}""", "reason" },
        { "POST", "/api/events/2020-10-18-toronto-no-new-coup-in-bolivia-rally/postpone", false, """{"reason":"Rain⟪X⟫"}""", "reason" },
        { "PUT", "/api/events/2020-10-18-toronto-no-new-coup-in-bolivia-rally", false, """{"title":"Rally ⟪X⟫"}""", "title" },
        { "PATCH", "/api/events/2020-10-18-toronto-no-new-coup-in-bolivia-rally", false, """{"demands":["⟪X⟫"]}""", "demands[0]" },
    };

    [Theory]
    [MemberData(nameof(TextFields))]
    public async Task UnsafeCharacterInAnyTextField_Is400NamingTheField(string method, string url, bool admin, string patch, string field)
    {
        var failures = new List<string>();
        foreach (var character in UnsafeCharacters)
        {
            var json = BodyFor(url, patch.Replace("⟪X⟫", character, StringComparison.Ordinal), method);
            using var response = await client.SendJsonAsync(new HttpMethod(method), url, json, admin ? ApiFactory.AdminToken : token,
                method == "PATCH" ? "application/merge-patch+json" : "application/json");
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            // Lone surrogates never reach validation: the JSON reader refuses them, naming the path ('$.newPlace.city').
            var problem = JsonNode.Parse(body);
            var named = problem?["errors"]?[field] is not null || ((string?)problem?["detail"])?.Contains($"'$.{field}'", StringComparison.Ordinal) == true;
            if (response.StatusCode != HttpStatusCode.BadRequest || !named)
            {
                failures.Add($"{character}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
            }
        }

        Assert.True(failures.Count == 0, $"{method} {url} {field}:\n" + string.Join("\n", failures));
    }

    [Theory]
    [InlineData("/api/events", false, """{"speakers":[null]}""", "speakers[0]")]
    [InlineData("/api/events", false, """{"organizations":[null]}""", "organizations[0]")]
    [InlineData("/api/events", false, """{"organizations":[{"slug":"cupe","role":"endorser"},null]}""", "organizations[1]")]
    [InlineData("/api/events", false, """{"tags":[null]}""", "tags[0]")]
    [InlineData("/api/events", false, """{"demands":[null]}""", "demands[0]")]
    [InlineData("/api/events", false, """{"sources":[null]}""", "sources[0]")]
    [InlineData("/api/events", false, """{"speakers":[{"name":"Ana"},null]}""", "speakers[1]")]
    [InlineData("/api/organizations", true, """{"name":"Null Alias Front","aliases":[null]}""", "aliases[0]")]
    public async Task NullInsideAList_Is400NamingTheElement(string url, bool admin, string patch, string field)
    {
        using var response = await client.SendJsonAsync(HttpMethod.Post, url, BodyFor(url, patch, "POST"), admin ? ApiFactory.AdminToken : token);

        var problem = await response.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains($"'{field}'", (string?)problem["errors"]?[field]?[0] ?? $"no error for '{field}' in {problem.ToJsonString()}");
    }

    [Theory]
    [InlineData("localtime")]
    [InlineData("Factory")]
    [InlineData("posixrules")]
    [InlineData("posix/America/Toronto")]
    [InlineData("right/America/Toronto")]
    [InlineData("America/toronto")]
    [InlineData("US/Eastern")]
    [InlineData("zone.tab")]
    [InlineData("../zoneinfo/America/Toronto")]
    public async Task ZoneIdThatIsNotACanonicalIanaId_Is400(string zone)
    {
        var body = WriteClient.EventBody();
        body["timeZone"] = zone;
        var place = new { name = "Hall", city = "Toronto", countryCode = "CA", timeZone = zone };

        var eventProblem = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.BadRequest);
        var placeProblem = await (await client.SendJsonAsync(HttpMethod.Post, "/api/places", place, token)).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.True(eventProblem["errors"]?["timeZone"] is not null, eventProblem.ToJsonString());
        Assert.True(placeProblem["errors"]?["timeZone"] is not null, placeProblem.ToJsonString());
    }

    [Theory]
    [InlineData("America/Toronto")]
    [InlineData("America/Argentina/Buenos_Aires")]
    [InlineData("Etc/GMT+5")]
    [InlineData("UTC")]
    public async Task CanonicalIanaZoneId_IsAccepted(string zone)
    {
        var body = WriteClient.EventBody($"Zone check {zone}");
        body["timeZone"] = zone;

        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created);

        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{created["slug"]}", null, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.NoContent);
    }

    /// <summary>A valid body for the route with the patch merged in, as JSON text (escapes kept as sent).</summary>
    private static string BodyFor(string url, string patch, string method)
    {
        if (method == "PATCH" || !url.StartsWith("/api/events", StringComparison.Ordinal) || url.EndsWith("/cancel", StringComparison.Ordinal) || url.EndsWith("/postpone", StringComparison.Ordinal))
        {
            return patch;
        }

        // Merging as text keeps lone-surrogate escapes that a JsonNode round trip would not.
        var valid = WriteClient.EventBody("Hostile input check");
        foreach (var key in JsonNode.Parse(patch.Replace("\\u", "u", StringComparison.Ordinal))!.AsObject().Select(p => p.Key))
        {
            valid.Remove(key);
        }

        var rest = valid.ToJsonString();
        return rest == "{}" ? patch : patch.TrimEnd()[..^1] + "," + rest[1..];
    }

    private async Task<string> NewOrganizationAsync(string name)
    {
        var unique = $"{name} {Guid.NewGuid():N}"[..(name.Length + 9)];
        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations", new { name = unique }, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.Created);
        return (string)created["slug"]!;
    }
}

/// <summary>
/// Generated hostile bodies against every write route, on a database of its own so that row counts mean something.
/// A rejected request (4xx) must leave every table, audit and idempotency included, exactly as it was.
/// </summary>
public sealed class WriteRouteFuzzTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    /// <summary>Fixed so that a failure reproduces; set ORGANIZER_FUZZ_SEED to explore other bodies.</summary>
    private const int DefaultSeed = 20261130;
    private const int Requests = 2000;

    private readonly HttpClient client = factory.CreateClient();
    private string organization = "";
    private string token = "";
    private string eventSlug = "";
    private string assemblySlug = "";

    public async ValueTask InitializeAsync()
    {
        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations", new { name = "Fuzz Target Collective" }, ApiFactory.AdminToken))
            .ExpectAsync(HttpStatusCode.Created);
        organization = (string)created["slug"]!;
        token = await client.TokenForAsync(organization);
        eventSlug = await CreateEventAsync("Fuzz target rally", "rally");
        assemblySlug = await CreateEventAsync("Fuzz target assembly", "assembly");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Fuzz_GeneratedBodiesOnEveryWriteRoute_NoServerError_RejectedWritesNothing()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("ORGANIZER_FUZZ_SEED"), out var chosen) ? chosen : DefaultSeed;
        TestContext.Current.TestOutputHelper?.WriteLine($"fuzz seed {seed} (ORGANIZER_FUZZ_SEED={seed} reproduces this run)");
        var random = new Random(seed);
        var routes = Routes();
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var counts = await CountRowsAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        for (var i = 0; i < Requests && failures.Count < 20; i++)
        {
            var route = routes[random.Next(routes.Length)];
            var url = route.Url(random);
            var body = FuzzBodies.Mutate(route.Template(), random);
            var ifMatch = random.Next(8) != 0 ? null : FuzzBodies.IfMatch(random);
            // A fresh key on some requests: a rejected one must not leave its idempotency record behind either.
            var key = random.Next(4) == 0 ? $"fuzz-{seed}-{i}" : null;
            using var response = await client.SendJsonAsync(route.Method, url, body, route.Token, route.ContentType, ifMatch, key);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var after = await CountRowsAsync();
            var where = $"seed {seed} #{i}: {route.Method} {url} {status}";
            if (status >= 500)
            {
                failures.Add($"{where}: {Shorten(body)}");
            }
            else if (status >= 400 && !after.SequenceEqual(counts))
            {
                var changed = after.Where(kv => counts.GetValueOrDefault(kv.Key) != kv.Value).Select(kv => $"{kv.Key} {counts.GetValueOrDefault(kv.Key)}→{kv.Value}");
                failures.Add($"{where} changed rows ({string.Join(", ", changed)}): {Shorten(body)}");
            }

            counts = after;
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{Requests} requests in {clock.Elapsed.TotalSeconds:0.0} s; statuses: {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(failures.Count == 0, $"fuzz seed {seed}:\n" + string.Join("\n", failures));
    }

    /// <summary>Found by the fuzz test: the idempotency middleware kept the answer of a POST no endpoint handles.</summary>
    [Fact]
    public async Task PostToNoRouteWithIdempotencyKey_LeavesNoRecord()
    {
        var before = await CountRowsAsync();

        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/no-such-route", new { title = "x" }, token, idempotencyKey: "no-route-1");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, await CountRowsAsync());
    }

    private sealed record Route(HttpMethod Method, Func<Random, string> Url, string? Token, string ContentType, Func<JsonNode> Template);

    private Route[] Routes()
    {
        const string json = "application/json";
        const string patch = "application/merge-patch+json";
        var admin = ApiFactory.AdminToken;
        string Own(Random r) => FuzzBodies.Slug(r, eventSlug);
        string Org(Random r) => FuzzBodies.Slug(r, organization);
        JsonNode None() => new JsonObject();
        return
        [
            new(HttpMethod.Post, _ => "/api/events", token, json, () => WriteClient.EventBody("Fuzzed rally")),
            new(HttpMethod.Post, _ => "/api/events", token, json, FullEvent),
            new(HttpMethod.Post, _ => "/api/events", null, json, FullEvent),
            new(HttpMethod.Put, r => $"/api/events/{Own(r)}", token, json, FullEvent),
            new(HttpMethod.Patch, r => $"/api/events/{Own(r)}", token, patch, () => new JsonObject
            {
                ["title"] = "Patched", ["tags"] = new JsonArray("bolivia"), ["speakers"] = new JsonArray(new JsonObject { ["name"] = "Ana" }),
                ["newPlace"] = Place(), ["place"] = null,
            }),
            new(HttpMethod.Post, r => $"/api/events/{Own(r)}/cancel", token, json, () => new JsonObject { ["reason"] = "Rain" }),
            new(HttpMethod.Post, r => $"/api/events/{Own(r)}/postpone", token, json, () => new JsonObject { ["reason"] = "Rain" }),
            new(HttpMethod.Post, r => $"/api/events/{FuzzBodies.Slug(r, assemblySlug)}/resolutions", token, json,
                () => new JsonObject { ["title"] = "On the coup", ["text"] = "Resolved.", ["outcome"] = "adopted", ["ordinal"] = 9_000 }),
            new(HttpMethod.Post, r => $"/api/events/{FuzzBodies.Slug(r, "2020-10-18-toronto-no-new-coup-in-bolivia-rally")}/approve", admin, json, None),
            new(HttpMethod.Post, r => $"/api/events/{FuzzBodies.Slug(r, "2020-10-18-toronto-no-new-coup-in-bolivia-rally")}/reject", admin, json, None),
            new(HttpMethod.Delete, r => $"/api/events/{FuzzBodies.HostileSlug(r)}", admin, json, None),
            new(HttpMethod.Delete, r => $"/api/events/{Own(r)}/organizations/{FuzzBodies.Slug(r, r.Next(2) == 0 ? organization : "cupe")}", token, json, None),
            new(HttpMethod.Post, _ => "/api/places", token, json, Place),
            new(HttpMethod.Post, _ => "/api/organizations", admin, json, Organization),
            new(HttpMethod.Patch, r => $"/api/organizations/{Org(r)}", admin, patch, () => new JsonObject
            {
                ["homeCity"] = "Toronto", ["aliases"] = new JsonArray(new JsonObject { ["name"] = "FTC", ["slug"] = "ftc-fuzz" }),
            }),
            new(HttpMethod.Post, r => $"/api/organizations/{Org(r)}/statements", token, json, () => new JsonObject
            {
                ["title"] = "On the coup", ["issuedOn"] = "2026-11-11", ["summary"] = "Hands off.", ["text"] = "We condemn it.",
                ["spokesperson"] = "Liz", ["readAtEvent"] = eventSlug,
            }),
            new(HttpMethod.Post, r => $"/api/organizations/{Org(r)}/tokens", admin, json, () => new JsonObject { ["label"] = "laptop" }),
            new(HttpMethod.Delete, r => $"/api/organizations/{Org(r)}/tokens/{Guid.NewGuid()}", admin, json, None),
            new(HttpMethod.Post, r => $"/api/organizations/{Org(r)}/feed-secret", token, json, None),
        ];
    }

    private static JsonNode FullEvent()
    {
        var body = WriteClient.EventBody("Fuzzed assembly");
        body["kind"] = "assembly";
        body["onlineUrl"] = "https://example.org/stream";
        body["speakers"] = new JsonArray(new JsonObject { ["name"] = "Ana", ["affiliation"] = "CUPE", ["role"] = "chair" });
        body["attendance"] = new JsonObject { ["estimate"] = 300, ["reported"] = "organizers" };
        body["organizations"] = new JsonArray(new JsonObject { ["slug"] = "cupe", ["role"] = "endorser" });
        body["demands"] = new JsonArray("Hands off Bolivia", "Respect the vote");
        body["sources"] = new JsonArray(new JsonObject { ["document"] = "Communiqué of 4 December", ["quote"] = "We will be there." });
        return body;
    }

    private static JsonObject Place() => new()
    {
        ["name"] = "Steelworkers Hall", ["address"] = "25 Cecil St", ["city"] = "Toronto", ["region"] = "ON", ["countryCode"] = "CA",
        ["latitude"] = 43.657, ["longitude"] = -79.397, ["timeZone"] = "America/Toronto",
    };

    private static JsonObject Organization() => new()
    {
        ["name"] = "Fuzzed Front", ["slug"] = "fuzzed-front", ["kind"] = "network", ["homeCity"] = "Toronto", ["homeCountryCode"] = "CA",
        ["website"] = "https://example.org", ["description"] = "A front.",
        ["aliases"] = new JsonArray(new JsonObject { ["name"] = "FF", ["slug"] = "ff-fuzz" }),
    };

    private async Task<string> CreateEventAsync(string title, string kind)
    {
        var body = WriteClient.EventBody(title);
        body["kind"] = kind;
        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created);
        return (string)created["slug"]!;
    }

    /// <summary>Rows in every table of the schema, in one round trip.</summary>
    private async Task<Dictionary<string, long>> CountRowsAsync()
    {
        await using var scope = factory.CreateScope(out var db);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var tables = connection.CreateCommand();
        tables.CommandText = "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1";
        var names = new List<string>();
        await using (var reader = await tables.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                names.Add(reader.GetString(0));
            }
        }

        await using var count = connection.CreateCommand();
        count.CommandText = string.Join(" union all ", names.Select(n => $"select '{n}', count(*) from \"{n}\""));
        var counts = new Dictionary<string, long>();
        await using (var reader = await count.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        return counts;
    }

    private static string Shorten(string body) => body.Length <= 300 ? body : body[..300] + $"… ({body.Length} chars)";
}

/// <summary>A valid body made wrong in one to three ways: the shapes a careless client or an attacker sends.</summary>
internal static class FuzzBodies
{
    // Lone surrogates cannot be written by the JSON writer; these markers become the raw escapes after serialization.
    private const string LoneHigh = "@@LONE_HIGH@@";
    private const string LoneLow = "@@LONE_LOW@@";

    private static readonly string[] Strings =
    [
        "\u0000", "Rally\u0000", "\ufffe", "\uffff", "\ufdd0", "\ufdef", "\U0001FFFF", "\U0010FFFE", "x\U0010FFFF", LoneHigh, "a" + LoneLow + "b",
        LoneLow + LoneHigh, "\u0007", "\u001b[31m", "\u0085", "\u2028", "\r\nEND:VEVENT\r\nBEGIN:VEVENT", "\u202e\ud83d\udca5", "", " ", "null",
        "0001-01-01", "9999-12-31", "0001-01-01T00:00:00", "9999-12-31T23:59:59", "1799-12-31", "2201-01-01", "2026-02-30", "2026-12-05T14:00:00Z",
        "localtime", "Factory", "posixrules", "right/UTC", "posix/America/Toronto", "Eastern Standard Time", "../../etc/passwd",
        "javascript:alert(1)", "https://example.org/\u0000", "'; DROP TABLE events; --", "assembly", "endorser", "host", "cupe", "-", "a--b",
        "Montréal", "𝕽𝖆𝖑𝖑𝖞", "1e309", "NaN",
    ];

    private static readonly JsonNode?[] Numbers =
    [
        JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(int.MaxValue), JsonValue.Create(2147483648L), JsonValue.Create(long.MinValue),
        JsonValue.Create(1e308), JsonValue.Create(-1e308), JsonValue.Create(0.5), JsonValue.Create(decimal.MaxValue), JsonValue.Create(double.Epsilon),
    ];

    public static string Mutate(JsonNode template, Random random)
    {
        var root = template;
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            root = MutateOnce(root, random);
        }

        return (root?.ToJsonString() ?? "null")
            .Replace(LoneHigh, "\\ud800", StringComparison.Ordinal)
            .Replace(LoneLow, "\\udc00", StringComparison.Ordinal);
    }

    public static string IfMatch(Random random) =>
        Pick(random, ["\"0\"", "\"1\"", "\"4294967296\"", "\"-1\"", "W/\"1\"", "*", "\"\"", "garbage", "\"1\", \"2\"", "\"\u00e9\""]);

    /// <summary>The slug usually; sometimes a path segment that is no slug at all.</summary>
    public static string Slug(Random random, string slug) => random.Next(10) == 0 ? HostileSlug(random) : slug;

    // No %00: the server refuses a NUL in the path before the app sees it (the test host throws on it instead).
    public static string HostileSlug(Random random) => Pick(random,
        ["%01", "a%7Fb", "%EF%BF%BE", "%ED%A0%80", "%F4%8F%BF%BF", new string('a', 300), "..", "%2E%2E%2Fetc", "no-such-event", "UPPER", "a%0D%0Ab"]);

    private static JsonNode? MutateOnce(JsonNode? root, Random random)
    {
        var containers = new List<JsonNode>();
        Collect(root, containers);
        if (containers.Count == 0 || random.Next(25) == 0)
        {
            return Hostile(random);
        }

        var container = containers[random.Next(containers.Count)];
        switch (container)
        {
            case JsonObject o when o.Count > 0:
                var key = o.Select(p => p.Key).ElementAt(random.Next(o.Count));
                switch (random.Next(10))
                {
                    case 0:
                        o.Remove(key);
                        break;
                    case 1:
                        o[key] = new JsonArray(null, Hostile(random));
                        break;
                    case 2:
                        o["unexpected" + random.Next(100)] = Hostile(random);
                        break;
                    default:
                        o[key] = Hostile(random);
                        break;
                }

                break;
            case JsonArray a:
                switch (random.Next(4))
                {
                    case 0:
                        a.Insert(random.Next(a.Count + 1), null);
                        break;
                    case 1 when a.Count > 0:
                        a[random.Next(a.Count)] = Hostile(random);
                        break;
                    default:
                        a.Add(random.Next(2) == 0 ? Hostile(random) : a.Count > 0 ? a[0]?.DeepClone() : null);
                        break;
                }

                break;
        }

        return root;
    }

    private static void Collect(JsonNode? node, List<JsonNode> containers)
    {
        switch (node)
        {
            case JsonObject o:
                containers.Add(o);
                foreach (var (_, value) in o)
                {
                    Collect(value, containers);
                }

                break;
            case JsonArray a:
                containers.Add(a);
                foreach (var value in a)
                {
                    Collect(value, containers);
                }

                break;
        }
    }

    private static JsonNode? Hostile(Random random) => random.Next(20) switch
    {
        < 9 => JsonValue.Create(Pick(random, Strings)),
        9 => JsonValue.Create("x" + Pick(random, Strings) + "y"),
        10 or 11 => Numbers[random.Next(Numbers.Length)]?.DeepClone(),
        12 => null,
        13 => JsonValue.Create(random.Next(2) == 0),
        14 => JsonValue.Create(new string(Pick(random, ["x", "é", "\u0000", "\ufffe"])[0], 60_000 / (random.Next(2) + 1))),
        15 => Nested(random.Next(5, 80)),
        16 => new JsonArray(Enumerable.Range(0, random.Next(1, 60)).Select(_ => (JsonNode?)null).ToArray()),
        17 => new JsonObject { ["name"] = Pick(random, Strings), ["slug"] = null, ["role"] = 5 },
        18 => new JsonArray(JsonValue.Create(Pick(random, Strings)), new JsonArray(), new JsonObject()),
        _ => new JsonObject(),
    };

    private static JsonNode Nested(int depth)
    {
        JsonNode node = JsonValue.Create("deep");
        for (var i = 0; i < depth; i++)
        {
            node = i % 2 == 0 ? new JsonObject { ["a"] = node } : new JsonArray(node);
        }

        return node;
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
