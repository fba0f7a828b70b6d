using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Organizer.Api.IntegrationTests;

internal static class Json
{
    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"GET {url} answered {(int)response.StatusCode}, expected {(int)expected}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Every item of the event list, following nextCursor to the end.</summary>
    public static Task<List<JsonNode>> GetAllEventsAsync(this HttpClient client, string query = "", int limit = 200) =>
        client.GetAllPagesAsync($"/api/events?limit={limit}{(query.Length > 0 ? "&" + query : "")}");

    /// <summary>An organization's whole timeline for a query, following nextCursor to the end.</summary>
    public static Task<List<JsonNode>> AllActionsAsync(this HttpClient client, string organization, string query = "") =>
        client.GetAllPagesAsync($"/api/organizations/{organization}/actions?{query}");

    /// <summary>Every item of a keyset-paged list: the first page at <paramref name="url"/>, then each nextCursor.</summary>
    public static async Task<List<JsonNode>> GetAllPagesAsync(this HttpClient client, string url)
    {
        var items = new List<JsonNode>();
        string? cursor = null;
        do
        {
            var page = await client.GetJsonAsync(cursor is null ? url : $"{url}&cursor={Uri.EscapeDataString(cursor)}");
            items.AddRange(page.Array("items").Select(i => i!));
            cursor = (string?)page["nextCursor"];
        }
        while (cursor is not null);

        return items;
    }

    public static List<string> Slugs(this IEnumerable<JsonNode> items) => items.Select(i => (string)i["slug"]!).ToList();

    public static JsonArray Array(this JsonNode node, string name) => node[name]!.AsArray();

    public static async Task<T?> ReadJsonAsync<T>(this HttpContent content) => await content.ReadFromJsonAsync<T>(TestContext.Current.CancellationToken);
}
