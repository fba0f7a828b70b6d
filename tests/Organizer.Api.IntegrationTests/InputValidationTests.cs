using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Organizer.Api.IntegrationTests;

/// <summary>Bad input gets a problem a person can act on, naming the field, and never writes anything.</summary>
public sealed class InputValidationTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private readonly HttpClient client = factory.CreateClient();
    private string token = "";

    public async ValueTask InitializeAsync() => token = await client.TokenForAsync("communist-party-of-canada");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public static TheoryData<string, string, string> InvalidBodies => new()
    {
        { "empty title", """{"title":""}""", "title" },
        { "title too long", $$"""{"title":"{{new string('x', 201)}}"}""", "title" },
        { "unknown kind", """{"kind":"parade"}""", "kind" },
        { "end before start", """{"start":"2026-12-05T14:00:00","end":"2026-12-05T13:00:00"}""", "end" },
        { "timed event over 31 days", """{"start":"2026-12-05T14:00:00","end":"2027-01-20T13:00:00"}""", "end" },
        { "all-day with a time", """{"allDay":true,"start":"2026-12-05T14:00:00","end":"2026-12-05"}""", "start" },
        { "Windows zone id", """{"timeZone":"Eastern Standard Time"}""", "timeZone" },
        { "unknown zone", """{"timeZone":"Mars/Base"}""", "timeZone" },
        { "start with an offset", """{"start":"2026-12-05T14:00:00-05:00"}""", "start" },
        { "unknown place", """{"place":"no-such-park"}""", "place" },
        { "inline place without a city", """{"place":null,"newPlace":{"name":"Hall","countryCode":"CA"}}""", "newPlace.city" },
        { "online action without a URL", """{"kind":"online-action"}""", "onlineUrl" },
        { "javascript URL", """{"onlineUrl":"javascript:alert(1)"}""", "onlineUrl" },
        { "unknown organization", """{"organizations":[{"slug":"no-such-group","role":"endorser"}]}""", "organizations" },
        { "organization twice", """{"organizations":[{"slug":"cupe","role":"endorser"},{"slug":"cupe","role":"participant"}]}""", "organizations" },
        { "unknown role", """{"organizations":[{"slug":"cupe","role":"sponsor"}]}""", "organizations[0].role" },
        { "control character in title", "{\"title\":\"Rally\\u0000\"}", "title" },
        { "unknown visibility", """{"visibility":"secret"}""", "visibility" },
        { "description too long", $$"""{"description":"{{new string('d', 20_001)}}"}""", "description" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task InvalidEvent_Is400NamingTheField_AndWritesNothing(string why, string patch, string field)
    {
        var body = (JsonObject)Organizer.Application.Common.MergePatch.Apply(WriteClient.EventBody(why), JsonNode.Parse(patch))!;
        var before = await CountsAsync();

        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token);

        var problem = await response.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?[field] is not null, $"{why}: no error for '{field}' in {problem.ToJsonString()}");
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task WindowsZoneId_GetsTheIanaIdSuggested()
    {
        var body = WriteClient.EventBody();
        body["timeZone"] = "Eastern Standard Time";

        var problem = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Contains("America/New_York", (string)problem["errors"]!["timeZone"]![0]!);
    }

    [Theory]
    [InlineData("{\"title\": \"unterminated", "not valid")]
    [InlineData("{\"title\": 42}", "$.title")]
    [InlineData("{\"title\": \"Rally\", \"colour\": \"red\"}", "colour")]
    [InlineData("[1,2,3]", "JSON")]
    [InlineData("", "body")]
    public async Task UnreadableBody_Is400Problem(string body, string mentioned)
    {
        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token);

        var problem = await response.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains(mentioned, (string)problem["detail"]!, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task WrongContentType_Is415(string contentType)
    {
        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody(), token, contentType);

        await response.ExpectAsync(HttpStatusCode.UnsupportedMediaType);
    }

    /// <summary>
    /// A thousand generated malformed or hostile bodies against the write routes: wrong types, huge strings,
    /// unicode, CR/LF and END:VEVENT, SQL fragments, nulls, deep nesting. None may cause a 5xx, and none may
    /// change a single row.
    /// </summary>
    [Fact]
    public async Task Fuzz_ThousandHostileBodies_NoServerError_NoWrite()
    {
        var random = new Random(20261125);
        var routes = new[]
        {
            (HttpMethod.Post, "/api/events", "application/json"),
            (HttpMethod.Put, "/api/events/2020-10-18-toronto-no-new-coup-in-bolivia-rally", "application/json"),
            (HttpMethod.Patch, "/api/events/2020-10-18-toronto-no-new-coup-in-bolivia-rally", "application/merge-patch+json"),
            (HttpMethod.Post, "/api/organizations/communist-party-of-canada/statements", "application/json"),
            (HttpMethod.Post, "/api/places", "application/json"),
            (HttpMethod.Post, "/api/events/2020-10-18-toronto-no-new-coup-in-bolivia-rally/cancel", "application/json"),
        };
        var before = await CountsAsync();
        var failures = new List<string>();
        var patched = 0;

        for (var i = 0; i < 1000; i++)
        {
            var (method, url, contentType) = routes[i % routes.Length];
            var body = HostileBodies.Next(random);
            using var response = await client.SendJsonAsync(method, url, body, token, contentType);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{method} {url} {(int)response.StatusCode}: {body[..Math.Min(body.Length, 200)]}");
            }
            else if (response.IsSuccessStatusCode && method == HttpMethod.Patch)
            {
                // Some generated patches are valid ones ({}, {"tags": null}): they may change the patched event,
                // its organizations and the audit log, but never add or remove events, places or statements.
                patched++;
            }
            else if (response.IsSuccessStatusCode)
            {
                failures.Add($"{method} {url} accepted: {body[..Math.Min(body.Length, 200)]}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var after = await CountsAsync();
        Assert.Equal((before.Events, before.Places, before.Statements), (after.Events, after.Places, after.Statements));
        if (patched == 0)
        {
            Assert.Equal(before, after);
        }
    }

    private async Task<(int Events, int Places, int Statements, int Participations, int Audit)> CountsAsync()
    {
        await using var scope = factory.CreateScope(out var db);
        var ct = TestContext.Current.CancellationToken;
        return (await db.Events.CountAsync(ct), await db.Places.CountAsync(ct), await db.Statements.CountAsync(ct),
            await db.EventParticipations.CountAsync(ct), await db.AuditEntries.CountAsync(ct));
    }
}

/// <summary>Generates bodies that are each wrong in at least one way a real client (or attacker) might be.</summary>
internal static class HostileBodies
{
    private static readonly string[] Nasty =
    [
        "Rally\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected", "'; DROP TABLE events; --", "\" OR 1=1 --", "\u0000", "\u202e\ud83d\udca5",
        "<script>alert(1)</script>", "../../etc/passwd", "\ud800", "𝕽𝖆𝖑𝖑𝖞", "Montréal", "", " ", "null", "NaN", "1e309", "-1",
        "2026-02-30T25:61:00", "9999-12-31T23:59:59", "0001-01-01", "America/Toronto\n", "Eastern Standard Time", "javascript:alert(1)",
    ];

    private static readonly string[] Fields =
        ["title", "kind", "description", "allDay", "start", "end", "timeZone", "place", "newPlace", "onlineUrl", "host", "organizations",
         "tags", "demands", "visibility", "parent", "speakers", "attendance", "name", "city", "countryCode", "issuedOn", "text", "reason"];

    public static string Next(Random random) => random.Next(8) switch
    {
        0 => Truncated(random),
        1 => Nested(random.Next(40, 200)),
        2 => "{\"" + Pick(random, Fields) + "\": " + WrongType(random) + "}",
        3 => "{\"" + Pick(random, Fields) + "\": \"" + new string('x', random.Next(20_000, 60_000)) + "\"}",
        4 => "{\"" + Pick(random, Fields) + "\": " + System.Text.Json.JsonSerializer.Serialize(Pick(random, Nasty)) + ", \"title\": null}",
        5 => "{\"unexpected" + random.Next() + "\": 1}",
        6 => "{" + string.Join(",", Fields.OrderBy(_ => random.Next()).Take(random.Next(1, 6)).Select(f => $"\"{f}\": {WrongType(random)}")) + "}",
        _ => Pick(random, ["null", "[]", "42", "\"text\"", "true", "{}", "{\"title\":\"x\",\"title\":5}", "\uFEFF{}", "{'title':'single quotes'}"]),
    };

    private static string Truncated(Random random)
    {
        var full = WriteClient.EventBody(Pick(random, Nasty)).ToJsonString();
        return full[..random.Next(1, full.Length - 1)];
    }

    private static string Nested(int depth) => new StringBuilder().Insert(0, "{\"title\":", depth).Append('1').Append('}', depth).ToString();

    private static string WrongType(Random random) => Pick(random, ["123", "true", "[1,{\"a\":[]}]", "{\"x\":{}}", "null", "-0.5e10", "[\"" + Pick(random, Nasty).Replace("\"", "") + "\"]"]);

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
