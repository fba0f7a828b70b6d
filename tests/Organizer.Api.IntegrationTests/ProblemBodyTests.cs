using System.Net;
using System.Text.Json.Nodes;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// Every way a request fails answers the same RFC 9457 shape: problem+json, the HTTP status repeated in the body, a
/// title saying which kind of failure, and the traceId that finds it in the logs, whichever part of the pipeline refused it.
/// </summary>
public sealed class ProblemBodyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task ExceptionHandler_ValidationWithErrors()
    {
        var token = await client.TokenForAsync("cupe");

        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody(""), token);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "The request is not valid.");
        Assert.NotNull(problem["errors"]!["title"]);
    }

    [Fact]
    public async Task ExceptionHandler_NotFound() =>
        await AssertProblemAsync(await client.GetAsync("/api/events/no-such-event", TestContext.Current.CancellationToken), HttpStatusCode.NotFound, "Not found.");

    [Fact]
    public async Task StatusCodePages_UnknownRoute() =>
        await AssertProblemAsync(await client.GetAsync("/api/no-such-route", TestContext.Current.CancellationToken), HttpStatusCode.NotFound, "Not Found");

    [Fact]
    public async Task StatusCodePages_UnknownRoute_ForAClientThatAcceptsNoJson_IsPlainText()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/no-such-route");
        request.Headers.TryAddWithoutValidation("Accept", "text/html");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Status Code: 404; Not Found", (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).TrimEnd());
    }

    [Fact]
    public async Task StatusCodePages_AContentTypeTheRouteDoesNotAccept()
    {
        var token = await client.TokenForAsync("cupe");

        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", WriteClient.EventBody(), token, "text/plain");

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "Unsupported Media Type");
    }

    [Fact]
    public async Task BearerScheme_RefusedToken_WithItsChallenge()
    {
        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/places", new { name = "Hall" }, "not-a-token");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Unauthorized.");
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task ApplicationRule_MissingToken_WithAChallenge()
    {
        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/places", new { name = "Hall" });

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Unauthorized.");
        Assert.Equal("Bearer realm=\"organizer\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Idempotency_MalformedKey_AndKeyReusedForAnotherBody()
    {
        var token = await client.TokenForAsync("cupe");

        using var malformed = await client.SendJsonAsync(HttpMethod.Post, "/api/places", new { name = "Hall" }, token, idempotencyKey: new string('k', 201));
        await AssertProblemAsync(malformed, HttpStatusCode.BadRequest, "Idempotency-Key conflict.");

        await (await client.SendJsonAsync(HttpMethod.Post, "/api/places", new { name = "Problem hall", city = "Ottawa", countryCode = "CA" }, token, idempotencyKey: "problem-body"))
            .ExpectAsync(HttpStatusCode.Created);
        using var reused = await client.SendJsonAsync(HttpMethod.Post, "/api/places", new { name = "Other hall", city = "Ottawa", countryCode = "CA" }, token, idempotencyKey: "problem-body");
        await AssertProblemAsync(reused, HttpStatusCode.UnprocessableEntity, "Idempotency-Key conflict.");
    }

    [Fact]
    public async Task Idempotency_SecretAlreadyIssued_KeepsItsLocation()
    {
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/cupe/tokens", new { label = "problem" }, ApiFactory.AdminToken, idempotencyKey: "problem-token"))
            .ExpectAsync(HttpStatusCode.Created);

        using var retry = await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/cupe/tokens", new { label = "problem" }, ApiFactory.AdminToken, idempotencyKey: "problem-token");

        await AssertProblemAsync(retry, HttpStatusCode.Conflict, "Secret already issued.");
        Assert.NotNull(retry.Headers.Location);
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
    }

    internal static async Task<JsonNode> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        var problem = await response.ExpectAsync(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.Equal(title, (string?)problem["title"]);
        Assert.False(string.IsNullOrEmpty((string?)problem["traceId"]), "The problem carries no traceId.");
        return problem;
    }
}
