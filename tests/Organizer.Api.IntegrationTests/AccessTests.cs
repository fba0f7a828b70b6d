using System.Net;

namespace Organizer.Api.IntegrationTests;

/// <summary>Reading stays open; every write needs the right token, and one group can never touch another's data.</summary>
public sealed class AccessTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Event = "2020-10-18-toronto-no-new-coup-in-bolivia-rally";
    private readonly HttpClient client = factory.CreateClient();

    /// <summary>Every write route, with a body it would accept from the right caller.</summary>
    public static TheoryData<string, string, string?> WriteRoutes => new()
    {
        { "POST", "/api/events", WriteClient.EventBody().ToJsonString() },
        { "PUT", $"/api/events/{Event}", WriteClient.EventBody().ToJsonString() },
        { "PATCH", $"/api/events/{Event}", "{\"title\":\"x\"}" },
        { "POST", $"/api/events/{Event}/cancel", "{\"reason\":\"x\"}" },
        { "POST", $"/api/events/{Event}/postpone", "{\"reason\":\"x\"}" },
        { "POST", $"/api/events/{Event}/approve", null },
        { "POST", $"/api/events/{Event}/reject", null },
        { "DELETE", $"/api/events/{Event}", null },
        { "POST", "/api/events/2022-06-01-ilps-in-canada-5th-general-assembly/resolutions", "{\"title\":\"x\",\"text\":\"y\"}" },
        { "POST", "/api/organizations", "{\"name\":\"New group\"}" },
        { "PATCH", "/api/organizations/communist-party-of-canada", "{\"website\":\"https://example.org\"}" },
        { "POST", "/api/organizations/communist-party-of-canada/tokens", "{}" },
        { "DELETE", $"/api/organizations/communist-party-of-canada/tokens/{Guid.Empty:D}", null },
        { "POST", "/api/organizations/communist-party-of-canada/statements", "{\"title\":\"x\",\"issuedOn\":\"2026-11-01\",\"text\":\"y\"}" },
        { "POST", "/api/organizations/communist-party-of-canada/feed-secret", null },
        { "POST", "/api/places", "{\"name\":\"Hall\",\"city\":\"Ottawa\",\"countryCode\":\"CA\"}" },
    };

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task NoToken_Is401WithAChallenge(string method, string url, string? body)
    {
        using var response = await client.SendJsonAsync(new HttpMethod(method), url, body, null, ContentTypeFor(method));

        var problem = await response.ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(401, (int)problem["status"]!);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task UnknownToken_Is401(string method, string url, string? body)
    {
        using var response = await client.SendJsonAsync(new HttpMethod(method), url, body, $"{Guid.NewGuid():N}.not-a-real-secret", ContentTypeFor(method));

        await response.ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task RevokedToken_Is401(string method, string url, string? body)
    {
        using var issue = await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/communist-party-of-canada/tokens", "{}", ApiFactory.AdminToken);
        var issued = await issue.ExpectAsync(HttpStatusCode.Created);
        await (await client.SendJsonAsync(HttpMethod.Delete, $"/api/organizations/communist-party-of-canada/tokens/{issued["id"]}", null, ApiFactory.AdminToken))
            .ExpectAsync(HttpStatusCode.NoContent);

        using var response = await client.SendJsonAsync(new HttpMethod(method), url, body, (string)issued["token"]!, ContentTypeFor(method));

        await response.ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task AnotherOrganizationsToken_Is403(string method, string url, string? body)
    {
        // CUPE's token against the Communist Party's event, organization and the admin's routes.
        var cupe = await client.TokenForAsync("canadian-union-of-public-employees");
        if (method == "POST" && url is "/api/events" or "/api/places")
        {
            return; // Creating its own event or a shared place is exactly what a token is for.
        }

        using var response = await client.SendJsonAsync(new HttpMethod(method), url, body, cupe, ContentTypeFor(method));

        await response.ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task NoToken_WithAnInvalidBody_IsStill401_NotAValidationError()
    {
        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", "{\"title\":\"\"}");

        await response.ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(null, "This needs a token: send 'Authorization: Bearer <token>'.")]
    [InlineData("not-a-token", "The token is unknown or has been revoked.")]
    public async Task RefusedCaller_WithAnUnreadableBody_Is401_BeforeTheBodyIsRead(string? token, string detail)
    {
        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/places", "{not json", token);

        var problem = await response.ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Unauthorized.", (string)problem["title"]!);
        Assert.Equal(detail, (string)problem["detail"]!);
    }

    /// <summary>Admin-only routes, each with a body the admin could not send either, and what another token is told.</summary>
    public static TheoryData<string, string, string?, string> AdminRoutes => new()
    {
        { "POST", "/api/organizations", "{\"name\":\"\"}", "Only the admin may do this: Creating an organization." },
        { "PATCH", "/api/organizations/communist-party-of-canada", "{\"name\":\"\"}", "Only the admin may do this: Changing an organization." },
        { "POST", "/api/organizations/communist-party-of-canada/tokens", "{\"label\":\"\\u0000\"}", "Only the admin may do this: Issuing an organization's token." },
        { "DELETE", $"/api/organizations/communist-party-of-canada/tokens/{Guid.Empty:D}", null, "Only the admin may do this: Revoking a token." },
        { "POST", "/api/events/2031-01-01-no-such-event/approve", null, "Only the admin reviews submissions." },
        { "POST", "/api/events/2031-01-01-no-such-event/reject", null, "Only the admin reviews submissions." },
        { "DELETE", "/api/events/2031-01-01-no-such-event", null, "Only the admin deletes events; organizations cancel them instead." },
    };

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task OrganizationToken_OnAnAdminRoute_Is403WithThatRoutesAnswer_BeforeTheBodyOrTheRecordIsLookedAt(
        string method, string url, string? body, string refusal)
    {
        // The Communist Party's own token, even against its own organization.
        var token = await client.TokenForAsync("communist-party-of-canada");

        using var response = await client.SendJsonAsync(new HttpMethod(method), url, body, token, ContentTypeFor(method));

        var problem = await response.ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Forbidden.", (string)problem["title"]!);
        Assert.Equal(refusal, (string)problem["detail"]!);
    }

    [Fact]
    public async Task NamingAnotherHost_With_AnOrganizationToken_Is403()
    {
        var cupe = await client.TokenForAsync("cupe");
        var body = WriteClient.EventBody();
        body["host"] = "communist-party-of-canada";

        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, cupe)).ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task TokenIsShownOnce_AndOnlyItsHashIsStored()
    {
        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/cpso/tokens", "{\"label\":\"phone\"}", ApiFactory.AdminToken);
        var issued = await response.ExpectAsync(HttpStatusCode.Created);
        var token = (string)issued["token"]!;

        await using var scope = factory.CreateScope(out var db);
        var stored = db.ApiTokens.Single(t => t.Id == Guid.Parse((string)issued["id"]!));
        Assert.Equal(32, stored.SecretHash.Length);
        Assert.DoesNotContain(token.Split('.')[1], Convert.ToBase64String(stored.SecretHash));
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheBearerScheme_AndEveryWriteError()
    {
        var document = await client.GetJsonAsync("/openapi/v1.json");

        Assert.Equal("bearer", (string)document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!);
        var post = document["paths"]!["/api/events"]!["post"]!;
        Assert.NotNull(post["security"]);
        foreach (var status in new[] { "201", "400", "401", "403", "409", "412", "413", "415", "422", "429" })
        {
            Assert.True(post["responses"]![status] is not null, $"POST /api/events documents no {status}");
        }
    }

    private static string ContentTypeFor(string method) => method == "PATCH" ? "application/merge-patch+json" : "application/json";
}
