using System.Net;
using System.Text.Json.Nodes;

namespace Organizer.Api.IntegrationTests;

/// <summary>Every list an event carries (speakers, organizations, tags, demands, sources, sessions) can be changed.</summary>
public sealed class ChildCollectionEditTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string SeededRallyWithSpeakers = "2020-10-18-toronto-no-new-coup-in-bolivia-rally";

    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task SeededEventWithSpeakers_CanBePatchedByTheAdmin()
    {
        using var response = await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{SeededRallyWithSpeakers}",
            new JsonObject { ["description"] = "Edited by the admin." }, ApiFactory.AdminToken, "application/merge-patch+json");

        var patched = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Edited by the admin.", (string)patched["description"]!);
        Assert.NotEmpty(patched.Array("speakers"));
    }

    [Fact]
    public async Task Speakers_CanBeReplaced_ThenReplacedAgainWithTheNewETag()
    {
        var (slug, token, etag) = await CreateAsync();

        var first = await PatchAsync(slug, token, etag, new JsonObject
        {
            ["speakers"] = new JsonArray(new JsonObject { ["name"] = "Ana Quispe", ["role"] = "Organizer" }, new JsonObject { ["name"] = "Luis Mamani" }),
        });
        Assert.Equal(["Ana Quispe", "Luis Mamani"], first.Body.Array("speakers").Select(s => (string)s!["name"]!));

        var second = await PatchAsync(slug, token, first.ETag, new JsonObject
        {
            ["speakers"] = new JsonArray(new JsonObject { ["name"] = "Luis Mamani" }),
        });
        Assert.Equal(["Luis Mamani"], second.Body.Array("speakers").Select(s => (string)s!["name"]!));
    }

    [Fact]
    public async Task Organizations_CanBeAddedChangedAndRemoved()
    {
        var (slug, token, etag) = await CreateAsync();

        var patched = await PatchAsync(slug, token, etag, new JsonObject
        {
            ["organizations"] = new JsonArray(
                new JsonObject { ["slug"] = "young-communist-league-of-canada", ["role"] = "endorser" },
                new JsonObject { ["slug"] = "cpso", ["role"] = "participant" }),
        });

        var roles = patched.Body.Array("organizations").ToDictionary(o => (string)o!["slug"]!, o => (string)o!["role"]!);
        Assert.Equal("host", roles["communist-party-of-canada"]);
        Assert.Equal("endorser", roles["young-communist-league-of-canada"]);
        Assert.Equal("participant", roles["cpso"]);

        var emptied = await PatchAsync(slug, token, patched.ETag, new JsonObject { ["organizations"] = new JsonArray() });
        Assert.Equal(["communist-party-of-canada"], emptied.Body.Array("organizations").Select(o => (string)o!["slug"]!));
    }

    [Fact]
    public async Task TagsAndDemands_CanBeReplaced()
    {
        var (slug, token, etag) = await CreateAsync();

        var patched = await PatchAsync(slug, token, etag, new JsonObject
        {
            ["tags"] = new JsonArray("peru", "solidarity"),
            ["demands"] = new JsonArray("Free all political prisoners", "New elections now"),
        });

        Assert.Equal(["peru", "solidarity"], patched.Body.Array("tags").Select(t => (string)t!));
        Assert.Equal(["Free all political prisoners", "New elections now"], patched.Body.Array("demands").Select(t => (string)t!));
    }

    [Fact]
    public async Task Sources_CanBeAdded_AndAPatchOfAnotherFieldKeepsThem()
    {
        var (slug, token, etag) = await CreateAsync();

        var withSources = await PatchAsync(slug, token, etag, new JsonObject
        {
            ["sources"] = new JsonArray(new JsonObject { ["document"] = "https://example.org/report", ["quote"] = "About 200 people gathered." }),
        });
        var source = withSources.Body.Array("sources").Single()!;
        Assert.Equal("https://example.org/report", (string)source["document"]!);
        Assert.Equal("About 200 people gathered.", (string)source["quote"]!);

        var retitled = await PatchAsync(slug, token, withSources.ETag, new JsonObject { ["title"] = "Rally for Bolivia (moved indoors)" });
        Assert.Single(retitled.Body.Array("sources"));
    }

    [Fact]
    public async Task SeededCitations_SurviveAPatch()
    {
        var before = JsonNode.Parse(await client.GetStringAsync($"/api/events/{SeededRallyWithSpeakers}", TestContext.Current.CancellationToken))!;

        using var response = await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{SeededRallyWithSpeakers}",
            new JsonObject { ["tags"] = new JsonArray("bolivia") }, ApiFactory.AdminToken, "application/merge-patch+json");

        var after = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(before.Array("sources").Select(s => (string)s!["quote"]!), after.Array("sources").Select(s => (string)s!["quote"]!));
        Assert.Equal(before.Array("speakers").Select(s => (string)s!["name"]!), after.Array("speakers").Select(s => (string)s!["name"]!));
    }

    [Fact]
    public async Task Sessions_CanBeAddedMovedAndDetached()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var assembly = await CreateAsync(token, "Winter assembly", "assembly");
        var other = await CreateAsync(token, "Spring assembly", "assembly");
        var session = await CreateAsync(token, "Panel on Bolivia", "panel", parent: assembly.Slug);

        Assert.Equal([session.Slug], (await GetAsync(assembly.Slug)).Array("sessions").Select(s => (string)s!["slug"]!));

        var moved = await PatchAsync(session.Slug, token, session.ETag, new JsonObject { ["parent"] = other.Slug });
        Assert.Equal(other.Slug, (string)moved.Body["parent"]!);
        Assert.Empty((await GetAsync(assembly.Slug)).Array("sessions"));
        Assert.Equal([session.Slug], (await GetAsync(other.Slug)).Array("sessions").Select(s => (string)s!["slug"]!));

        var detached = await PatchAsync(session.Slug, token, moved.ETag, new JsonObject { ["parent"] = null });
        Assert.Null(detached.Body["parent"]);
        Assert.Empty((await GetAsync(other.Slug)).Array("sessions"));
    }

    private async Task<(string Slug, string Token, string ETag)> CreateAsync()
    {
        var token = await client.TokenForAsync("communist-party-of-canada");
        var created = await CreateAsync(token, $"Rally {Guid.NewGuid():N}", "rally");
        return (created.Slug, token, created.ETag);
    }

    private async Task<(string Slug, string ETag)> CreateAsync(string token, string title, string kind, string? parent = null)
    {
        var body = WriteClient.EventBody(title);
        body["kind"] = kind;
        body["speakers"] = new JsonArray(new JsonObject { ["name"] = "First Speaker" });
        if (parent is not null)
        {
            body["parent"] = parent;
        }

        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token);
        var created = await response.ExpectAsync(HttpStatusCode.Created);
        return ((string)created["slug"]!, response.Headers.ETag!.Tag);
    }

    private async Task<(JsonNode Body, string ETag)> PatchAsync(string slug, string token, string etag, JsonObject patch)
    {
        using var response = await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}", patch, token, "application/merge-patch+json", ifMatch: etag);
        var body = await response.ExpectAsync(HttpStatusCode.OK);
        return (body, response.Headers.ETag!.Tag);
    }

    private async Task<JsonNode> GetAsync(string slug) =>
        JsonNode.Parse(await client.GetStringAsync($"/api/events/{slug}", TestContext.Current.CancellationToken))!;
}
