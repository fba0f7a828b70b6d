using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Organizer.Api.IntegrationTests;

/// <summary>Requests as an organizer's client sends them: JSON bodies, bearer tokens, If-Match and Idempotency-Key.</summary>
internal static class WriteClient
{
    public static async Task<HttpResponseMessage> SendJsonAsync(
        this HttpClient client, HttpMethod method, string url, object? body, string? token = null, string contentType = "application/json",
        string? ifMatch = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            var json = body as string ?? (body is JsonNode node ? node.ToJsonString() : JsonContent.Create(body).ReadAsStringAsync().Result);
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType) { CharSet = "utf-8" };
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<JsonNode> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)status}: {body}");
        return body.Length == 0 ? new JsonObject() : JsonNode.Parse(body)!;
    }

    /// <summary>Issues a token for an organization with the admin token.</summary>
    public static async Task<string> TokenForAsync(this HttpClient client, string organization)
    {
        using var response = await client.SendJsonAsync(HttpMethod.Post, $"/api/organizations/{organization}/tokens", new { label = "tests" }, ApiFactory.AdminToken);
        var issued = await response.ExpectAsync(HttpStatusCode.Created);
        return (string)issued["token"]!;
    }

    /// <summary>A valid event body; tests change what they need.</summary>
    public static JsonObject EventBody(string title = "Emergency rally: hands off Bolivia", string start = "2026-12-05T14:00:00", string end = "2026-12-05T16:00:00") => new()
    {
        ["title"] = title,
        ["kind"] = "rally",
        ["description"] = "Called the day after the coup was announced.",
        ["allDay"] = false,
        ["start"] = start,
        ["end"] = end,
        ["timeZone"] = "America/Toronto",
        ["place"] = "matt-cohen-park-toronto",
        ["organizations"] = new JsonArray(new JsonObject { ["slug"] = "young-communist-league-of-canada", ["role"] = "co-organizer" }),
        ["tags"] = new JsonArray("bolivia"),
        ["demands"] = new JsonArray("Hands off Bolivia"),
        ["visibility"] = "public",
    };

    /// <summary>A valid body for a series with no place: the event body, repeating by <paramref name="recurrence"/>.</summary>
    public static JsonObject SeriesBody(string title, string start, string end, string zone, JsonObject recurrence, string kind = "vigil")
    {
        var body = EventBody(title, start, end);
        body["kind"] = kind;
        body["timeZone"] = zone;
        body.Remove("place");
        body["recurrence"] = recurrence;
        return body;
    }
}
