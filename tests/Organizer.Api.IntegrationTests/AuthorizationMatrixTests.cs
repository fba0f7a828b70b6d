using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// Every route × every kind of caller × every state an event can be in: the status each answers, and that no
/// answer mentions an event (its title, place or city) that the caller may not see. The routes come from one
/// table; a route the app serves without a row in it fails <see cref="EveryRoute_HasARow"/>.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.Factory factory) : IClassFixture<AuthorizationMatrixTests.Factory>
{
    public sealed class Factory : ApiFactory
    {
        protected override IEnumerable<(string Key, string Value)> Settings =>
            base.Settings.Append(("Organizer:Moderation:AllowAnonymousSubmissions", "true"));
    }

    public enum Caller { Anonymous, HostToken, OtherToken, Admin, RevokedToken }

    public enum State { Public, Unlisted, Private, Pending, Rejected }

    private const string Host = "communist-party-of-canada";
    private const string Other = "cupe";
    private const string Listed = "young-communist-league-of-canada";

    private readonly HttpClient client = factory.CreateClient();

    /// <summary>What a cell's request needs: the event in its state, and the callers' own values.</summary>
    private sealed record Cell(Caller Caller, State State, string Slug, string Marker, string Place, string City, string? Token, string OwnOrganization, string HostSecret);

    private sealed record Request(HttpMethod Method, string Url, JsonNode? Body = null, string ContentType = "application/json");

    /// <param name="Route">The route as the app maps it: method and pattern.</param>
    /// <param name="Build">The request for one cell.</param>
    /// <param name="Expect">The status the caller must get for an event in that state.</param>
    /// <param name="Changes">Whether the request changes the event, so that each cell needs its own.</param>
    /// <param name="MayMention">Who may see the event in the answer, when the route serves someone other than the caller (a private feed's owner).</param>
    /// <param name="Series">Whether the route needs the event to be a series (weekly on Sundays, three dates from 2026-12-20).</param>
    private sealed record Row(
        string Route, Func<Cell, Request> Build, Func<Caller, State, HttpStatusCode> Expect, bool Changes = false, Func<Caller, State, bool>? MayMention = null, bool Series = false);

    private static readonly HttpStatusCode Ok = HttpStatusCode.OK, Created = HttpStatusCode.Created, NoContent = HttpStatusCode.NoContent,
        Bad = HttpStatusCode.BadRequest, Unauthorized = HttpStatusCode.Unauthorized, Forbidden = HttpStatusCode.Forbidden,
        NotFound = HttpStatusCode.NotFound, Conflict = HttpStatusCode.Conflict;

    /// <summary>The one visibility rule, as the tests state it: public and unlisted for all, private and pending for the host and the admin.</summary>
    private static bool Sees(Caller caller, State state) => state switch
    {
        State.Public or State.Unlisted => true,
        State.Private or State.Pending => caller is Caller.HostToken or Caller.Admin,
        _ => false,
    };

    private static bool IsListed(State state) => state == State.Public;

    /// <summary>A change to the event: 401 without a valid token, 404 when the caller may not see it, 403 when they see but may not change it.</summary>
    private static HttpStatusCode Change(Caller caller, State state, HttpStatusCode success) => caller switch
    {
        Caller.Anonymous or Caller.RevokedToken => Unauthorized,
        _ when !Sees(caller, state) => NotFound,
        Caller.OtherToken => Forbidden,
        _ => success,
    };

    private static HttpStatusCode AdminOnly(Caller caller, HttpStatusCode success) => caller switch
    {
        Caller.Anonymous or Caller.RevokedToken => Unauthorized,
        Caller.Admin => success,
        _ => Forbidden,
    };

    private static HttpStatusCode Always(Caller caller, State state) => Ok;

    private static readonly Row[] Rows =
    [
        // Reading.
        new("GET /", _ => new(HttpMethod.Get, "/"), Always),
        new("GET /api/events/", c => new(HttpMethod.Get, "/api/events?from=2026-12-01&to=2026-12-31&limit=200"), Always),
        new("GET /api/events/{slug}", c => new(HttpMethod.Get, $"/api/events/{c.Slug}"), (caller, state) => Sees(caller, state) ? Ok : NotFound),
        new("GET /api/events/{slug}.ics", c => new(HttpMethod.Get, $"/api/events/{c.Slug}.ics"), (_, state) => state is State.Public or State.Unlisted ? Ok : NotFound),
        new("GET /api/organizations/", _ => new(HttpMethod.Get, "/api/organizations"), Always),
        new("GET /api/organizations/{slug}", _ => new(HttpMethod.Get, $"/api/organizations/{Host}"), Always),
        new("GET /api/organizations/{slug}/actions", _ => new(HttpMethod.Get, $"/api/organizations/{Host}/actions?when=upcoming"), Always),
        new("GET /api/organizations/{slug}/summary", _ => new(HttpMethod.Get, $"/api/organizations/{Host}/summary"), Always),
        new("GET /api/places/", _ => new(HttpMethod.Get, "/api/places"), Always),
        new("GET /api/places/{slug}", c => new(HttpMethod.Get, $"/api/places/{c.Place}"), (caller, state) => state switch
        {
            State.Public => Ok,
            State.Unlisted or State.Private => caller is Caller.HostToken or Caller.Admin ? Ok : NotFound,
            State.Pending => caller is Caller.HostToken or Caller.Admin ? Ok : NotFound,
            _ => NotFound,
        }),
        new("GET /api/cities/", _ => new(HttpMethod.Get, "/api/cities"), Always),
        new("GET /api/cities/{city}", c => new(HttpMethod.Get, $"/api/cities/{c.City}"), (_, state) => IsListed(state) ? Ok : NotFound),
        new("GET /api/statements/", _ => new(HttpMethod.Get, "/api/statements"), Always),
        new("GET /api/statements/{slug}", _ => new(HttpMethod.Get, "/api/statements/2019-11-13-cupe-statement-on-bolivia"), Always),
        new("GET /api/search", c => new(HttpMethod.Get, $"/api/search?q={c.Marker}"), Always),
        new("GET /feeds/all.ics", _ => new(HttpMethod.Get, "/feeds/all.ics"), Always),
        new("GET /feeds/organizations/{slug}.ics", _ => new(HttpMethod.Get, $"/feeds/organizations/{Host}.ics"), Always),
        new("GET /feeds/organizations/{slug}.atom", _ => new(HttpMethod.Get, $"/feeds/organizations/{Host}.atom"), Always),
        new("GET /feeds/cities/{city}.ics", c => new(HttpMethod.Get, $"/feeds/cities/{c.City}.ics"), (_, state) => IsListed(state) ? Ok : NotFound),
        new("GET /feeds/kinds/{kind}.ics", _ => new(HttpMethod.Get, "/feeds/kinds/assembly.ics"), Always),
        new("GET /feeds/events.ics", c => new(HttpMethod.Get, $"/feeds/events.ics?organization={Host}&q={c.Marker}"), Always),
        new("GET /feeds/private/{secret}.ics", c => new(HttpMethod.Get, $"/feeds/private/{c.HostSecret}.ics"), Always,
            MayMention: (_, state) => state is State.Public or State.Unlisted or State.Private),
        new("GET /health/live", _ => new(HttpMethod.Get, "/health/live"), Always),
        new("GET /health/ready", _ => new(HttpMethod.Get, "/health/ready"), Always),
        new("GET /metrics", _ => new(HttpMethod.Get, "/metrics"), (caller, _) => AdminOnly(caller, Ok)),
        new("GET /openapi/{documentName}.json", _ => new(HttpMethod.Get, "/openapi/v1.json"), Always),
        new("GET /docs/{documentName?}", _ => new(HttpMethod.Get, "/docs/"), Always),
        new("GET /docs/scalar.js", _ => new(HttpMethod.Get, "/docs/scalar.js"), Always),
        new("GET /docs/scalar.aspnetcore.js", _ => new(HttpMethod.Get, "/docs/scalar.aspnetcore.js"), Always),
        new("GET /docs/favicon.svg", _ => new(HttpMethod.Get, "/docs/favicon.svg"), Always),

        // Changing an event.
        new("PUT /api/events/{slug}", c => new(HttpMethod.Put, $"/api/events/{c.Slug}", Body(c, "Replaced")),
            (caller, state) => Change(caller, state, Ok), Changes: true),
        new("PATCH /api/events/{slug}", c => new(HttpMethod.Patch, $"/api/events/{c.Slug}", new JsonObject { ["description"] = "Patched." }, "application/merge-patch+json"),
            (caller, state) => Change(caller, state, Ok), Changes: true),
        new("POST /api/events/{slug}/cancel", c => new(HttpMethod.Post, $"/api/events/{c.Slug}/cancel", new JsonObject { ["reason"] = "Weather." }),
            (caller, state) => Change(caller, state, state == State.Pending ? Conflict : Ok), Changes: true),
        new("POST /api/events/{slug}/postpone", c => new(HttpMethod.Post, $"/api/events/{c.Slug}/postpone", new JsonObject { ["reason"] = "Weather." }),
            (caller, state) => Change(caller, state, state == State.Pending ? Conflict : Ok), Changes: true),
        new("POST /api/events/{slug}/resolutions", c => new(HttpMethod.Post, $"/api/events/{c.Slug}/resolutions", new JsonObject { ["title"] = "On solidarity", ["text"] = "Resolved." }),
            (caller, state) => Change(caller, state, Created), Changes: true),
        new("DELETE /api/events/{slug}/organizations/{organization}", c => new(HttpMethod.Delete, $"/api/events/{c.Slug}/organizations/{Listed}"),
            (caller, state) => Change(caller, state, NoContent), Changes: true),
        new("POST /api/events/{slug}/approve", c => new(HttpMethod.Post, $"/api/events/{c.Slug}/approve"),
            (caller, state) => AdminOnly(caller, state switch { State.Pending => Ok, State.Rejected => NotFound, _ => Conflict }), Changes: true),
        new("POST /api/events/{slug}/reject", c => new(HttpMethod.Post, $"/api/events/{c.Slug}/reject"),
            (caller, state) => AdminOnly(caller, state switch { State.Pending => NoContent, State.Rejected => NotFound, _ => Conflict }), Changes: true),
        new("DELETE /api/events/{slug}", c => new(HttpMethod.Delete, $"/api/events/{c.Slug}"),
            (caller, state) => AdminOnly(caller, state == State.Rejected ? NotFound : NoContent), Changes: true),

        // One date of a series: read by whoever sees the series, changed by whoever may change it.
        new("GET /api/events/{slug}/occurrences/{occurrence}", c => new(HttpMethod.Get, $"/api/events/{c.Slug}/occurrences/2026-12-27"),
            (caller, state) => Sees(caller, state) ? Ok : NotFound, Series: true),
        new("PATCH /api/events/{slug}/occurrences/{occurrence}", c => new(HttpMethod.Patch, $"/api/events/{c.Slug}/occurrences/2026-12-27",
            new JsonObject { ["status"] = "cancelled", ["statusReason"] = "Weather." }, "application/merge-patch+json"),
            (caller, state) => Change(caller, state, Ok), Changes: true, Series: true),
        new("DELETE /api/events/{slug}/occurrences/{occurrence}", c => new(HttpMethod.Delete, $"/api/events/{c.Slug}/occurrences/2026-12-27"),
            (caller, state) => Change(caller, state, NoContent), Changes: true, Series: true),
        new("POST /api/events/{slug}/end-series", c => new(HttpMethod.Post, $"/api/events/{c.Slug}/end-series", new JsonObject { ["from"] = "2026-12-27" }),
            (caller, state) => Change(caller, state, Ok), Changes: true, Series: true),

        // Attaching to an event: only to one the caller may change; one they may not see is answered as missing.
        new("POST /api/events/", c => new(HttpMethod.Post, "/api/events", Session(c)), (caller, state) => caller switch
        {
            Caller.RevokedToken => Unauthorized,
            _ when !Sees(caller, state) => Bad,
            Caller.Anonymous or Caller.OtherToken => Forbidden,
            _ => Created,
        }, Changes: true),
        new("POST /api/organizations/{slug}/statements", c => new(HttpMethod.Post, $"/api/organizations/{c.OwnOrganization}/statements", new JsonObject
        {
            ["title"] = $"Statement read at {c.Marker}", ["issuedOn"] = "2026-12-05", ["summary"] = "We stand together.", ["readAtEvent"] = c.Slug,
        }), (caller, state) => caller switch
        {
            Caller.Anonymous or Caller.RevokedToken => Unauthorized,
            _ when !Sees(caller, state) => Bad,
            Caller.OtherToken => Forbidden,
            _ => Created,
        }, Changes: true),

        // Organizations, tokens and places: not about the event, and they must not mention it either.
        new("POST /api/organizations/", c => new(HttpMethod.Post, "/api/organizations", new JsonObject { ["name"] = $"Group {Guid.NewGuid():N}" }),
            (caller, _) => AdminOnly(caller, Created)),
        new("PATCH /api/organizations/{slug}", _ => new(HttpMethod.Patch, $"/api/organizations/{Host}", new JsonObject { ["website"] = "https://cpc-pcc.ca" }, "application/merge-patch+json"),
            (caller, _) => AdminOnly(caller, Ok)),
        new("POST /api/organizations/{slug}/tokens", _ => new(HttpMethod.Post, $"/api/organizations/{Host}/tokens", new JsonObject { ["label"] = "matrix" }),
            (caller, _) => AdminOnly(caller, Created)),
        new("DELETE /api/organizations/{slug}/tokens/{id:guid}", _ => new(HttpMethod.Delete, $"/api/organizations/{Host}/tokens/{Guid.NewGuid():D}"),
            (caller, _) => AdminOnly(caller, NotFound)),
        new("POST /api/organizations/{slug}/feed-secret", c => new(HttpMethod.Post, $"/api/organizations/{c.OwnOrganization}/feed-secret"), (caller, _) => caller switch
        {
            Caller.Anonymous or Caller.RevokedToken => Unauthorized,
            _ => Ok,
        }),
        new("POST /api/places/", c => new(HttpMethod.Post, "/api/places", new JsonObject { ["name"] = $"Hall {Guid.NewGuid():N}", ["city"] = "Ottawa", ["countryCode"] = "CA" }), (caller, _) => caller switch
        {
            Caller.Anonymous or Caller.RevokedToken => Unauthorized,
            _ => Created,
        }),
    ];

    [Fact]
    public void EveryRoute_HasARow()
    {
        var served = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Where(m => m != "HEAD")
                .Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Select(r => r.Replace("//", "/", StringComparison.Ordinal))
            .ToHashSet();
        var rows = Rows.Select(r => r.Route).ToHashSet();

        Assert.Empty(served.Except(rows).Order());
        Assert.Empty(rows.Except(served).Order());
    }

    public static TheoryData<string> RouteNames => new(Rows.Select(r => r.Route));

    [Theory]
    [MemberData(nameof(RouteNames))]
    public async Task Route_AnswersEachCallerForEachState_AndMentionsOnlyWhatTheyMaySee(string route)
    {
        var row = Rows.Single(r => r.Route == route);
        var tokens = await TokensAsync();
        var shared = new Dictionary<State, Arranged>();
        var failures = new List<string>();

        foreach (var state in Enum.GetValues<State>())
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                var arranged = row.Changes
                    ? await ArrangeAsync(state, tokens, row.Series)
                    : shared.TryGetValue(state, out var s) ? s : shared[state] = await ArrangeAsync(state, tokens, row.Series);
                var token = caller switch
                {
                    Caller.HostToken => tokens.Host,
                    Caller.OtherToken => tokens.Other,
                    Caller.Admin => ApiFactory.AdminToken,
                    Caller.RevokedToken => tokens.Revoked,
                    _ => null,
                };
                var own = caller == Caller.OtherToken ? Other : Host;
                var cell = new Cell(caller, state, arranged.Slug, arranged.Marker, arranged.Place, arranged.City, token, own, tokens.HostSecret);
                var request = row.Build(cell);

                using var response = await client.SendJsonAsync(request.Method, request.Url, request.Body, token, request.ContentType);
                var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                var expected = row.Expect(caller, state);
                if (response.StatusCode != expected)
                {
                    failures.Add($"{caller} × {state}: {(int)response.StatusCode}, expected {(int)expected}: {body[..Math.Min(300, body.Length)]}");
                }

                var mayMention = row.MayMention?.Invoke(caller, state) ?? Sees(caller, state);
                if (!mayMention && arranged.Secrets.FirstOrDefault(body.Contains) is { } leaked)
                {
                    failures.Add($"{caller} × {state}: the answer mentions '{leaked}' of an event the caller may not see");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{route}\n" + string.Join("\n", failures));
    }

    /// <summary>An event hosted by <see cref="Host"/>, naming <see cref="Listed"/>, at a place and in a city of its own, in the given state.</summary>
    private sealed record Arranged(string Slug, string Marker, string Place, string City)
    {
        /// <summary>Text only this event's answers can contain: its title marker, place name, address and city.</summary>
        public string[] Secrets => [Marker, $"Hall{Marker}", $"{Marker} Street", $"Town{Marker}"];
    }

    private sealed record Tokens(string Host, string Other, string Revoked, string HostSecret);

    private async Task<Tokens> TokensAsync()
    {
        var host = await client.TokenForAsync(Host);
        var other = await client.TokenForAsync(Other);
        var issued = await (await client.SendJsonAsync(HttpMethod.Post, $"/api/organizations/{Host}/tokens", new JsonObject { ["label"] = "revoked" }, ApiFactory.AdminToken)).ExpectAsync(Created);
        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/organizations/{Host}/tokens/{issued["id"]}", null, ApiFactory.AdminToken)).ExpectAsync(NoContent);
        var secret = await (await client.SendJsonAsync(HttpMethod.Post, $"/api/organizations/{Host}/feed-secret", null, host)).ExpectAsync(Ok);
        var url = (string)secret["url"]!;
        return new Tokens(host, other, (string)issued["token"]!, url[(url.IndexOf("/private/", StringComparison.Ordinal) + 9)..^4]);
    }

    private async Task<Arranged> ArrangeAsync(State state, Tokens tokens, bool series = false)
    {
        var marker = $"Mx{Guid.NewGuid().ToString("N")[..10].ToUpperInvariant()}";
        var body = new JsonObject
        {
            ["title"] = $"Matrix assembly {marker}",
            ["kind"] = "assembly",
            ["allDay"] = false,
            ["start"] = "2026-12-20T18:00:00",
            ["end"] = "2026-12-20T20:00:00",
            ["timeZone"] = "America/Toronto",
            ["newPlace"] = new JsonObject { ["name"] = $"Hall{marker}", ["address"] = $"{marker} Street", ["city"] = $"Town{marker}", ["countryCode"] = "CA" },
            ["organizations"] = new JsonArray(new JsonObject { ["slug"] = Listed, ["role"] = "co-organizer" }),
            ["visibility"] = state switch { State.Unlisted => "unlisted", State.Private => "private", _ => "public" },
        };
        if (series)
        {
            // 2026-12-20 is a Sunday.
            body["recurrence"] = new JsonObject { ["frequency"] = "weekly", ["byDay"] = new JsonArray("su"), ["count"] = 3 };
        }

        JsonNode created;
        if (state is State.Pending or State.Rejected)
        {
            body["host"] = Host;
            created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body)).ExpectAsync(Created);
        }
        else
        {
            created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, tokens.Host)).ExpectAsync(Created);
        }

        var slug = (string)created["slug"]!;
        if (state == State.Rejected)
        {
            await (await client.SendJsonAsync(HttpMethod.Post, $"/api/events/{slug}/reject", null, ApiFactory.AdminToken)).ExpectAsync(NoContent);
        }

        return new Arranged(slug, marker, (string)created["place"]!["slug"]!, $"town{marker.ToLowerInvariant()}");
    }

    private static JsonObject Body(Cell c, string title) => new()
    {
        ["title"] = $"{title} {c.Marker}",
        ["kind"] = "assembly",
        ["allDay"] = false,
        ["start"] = "2026-12-20T18:00:00",
        ["end"] = "2026-12-20T20:00:00",
        ["timeZone"] = "America/Toronto",
        ["onlineUrl"] = "https://meet.example.org/assembly",
        ["organizations"] = new JsonArray(new JsonObject { ["slug"] = Listed, ["role"] = "co-organizer" }),
        ["visibility"] = c.State switch { State.Unlisted => "unlisted", State.Private => "private", _ => "public" },
    };

    /// <summary>A session of the cell's event, posted by the caller.</summary>
    private static JsonObject Session(Cell c) => new()
    {
        ["title"] = "Matrix panel",
        ["kind"] = "panel",
        ["allDay"] = false,
        ["start"] = "2026-12-20T18:30:00",
        ["end"] = "2026-12-20T19:30:00",
        ["timeZone"] = "America/Toronto",
        ["parent"] = c.Slug,
        ["host"] = c.Caller == Caller.Admin ? Host : null,
    };
}
