using System.Net;
using System.Text.Json.Nodes;

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
    public static TheoryData<string> UnsafeCharacters => ["\\u0000", "\\ufffe", "\\uffff", "\\ufdd0", "\\ufdef", "\\ud83f\\udfff", "\\udbff\\udffe", "\\ud800", "\\udc00", "\\u0007"];

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
        var body = (JsonObject)Infrastructure.MergePatch.Apply(WriteClient.EventBody(why), JsonNode.Parse(patch))!;

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
    [InlineData("/api/events", false, """{"speakers":[{"name":"Ana"},null]}""", "speakers[1]")]
    [InlineData("/api/organizations", true, """{"name":"Null Alias Front","aliases":[null]}""", "aliases[0]")]
    public async Task NullInsideAList_Is400NamingTheElement(string url, bool admin, string patch, string field)
    {
        using var response = await client.SendJsonAsync(HttpMethod.Post, url, BodyFor(url, patch, "POST"), admin ? ApiFactory.AdminToken : token);

        var problem = await response.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?[field] is not null, $"no error for '{field}' in {problem.ToJsonString()}");
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
