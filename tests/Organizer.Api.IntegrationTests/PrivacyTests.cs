using System.Net;
using System.Text.Json.Nodes;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// What is private stays private: a private or pending event's place and city, its slug, and its existence reach
/// only those who may see the event, whatever route asks.
/// </summary>
public sealed class PrivacyTests(AnonymousSubmissionsApiFactory factory) : IClassFixture<AnonymousSubmissionsApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task PrivateEvent_NewPlace_NameAddressAndCityAreNeverPublished()
    {
        var a = await client.TokenForAsync("communist-party-of-canada");
        var (_, place) = await CreateAsync(a, "Security meeting", "private", SecretPlace("Secret Safehouse", "Hiddenville"));

        await AssertPlaceIsHiddenAsync(place, "Secret Safehouse", "Hiddenville");

        // The organization that recorded it still finds it, and may name it again.
        var own = await (await client.SendJsonAsync(HttpMethod.Get, $"/api/places/{place}", null, a)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("13 Hidden Lane", (string)own["address"]!);
        var again = WriteClient.EventBody("Second security meeting");
        again["place"] = place;
        again["visibility"] = "private";
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", again, a)).ExpectAsync(HttpStatusCode.Created);

        // Another organization cannot tell it from a place that does not exist.
        var b = await client.TokenForAsync("cupe");
        await (await client.SendJsonAsync(HttpMethod.Get, $"/api/places/{place}", null, b)).ExpectAsync(HttpStatusCode.NotFound);
        var probe = WriteClient.EventBody("Probe");
        probe["place"] = place;
        var refused = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", probe, b)).ExpectAsync(HttpStatusCode.BadRequest);
        probe["place"] = "no-such-place-anywhere";
        var missing = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", probe, b)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(missing["errors"]!.ToJsonString().Replace("no-such-place-anywhere", "X"), refused["errors"]!.ToJsonString().Replace(place!, "X"));
    }

    [Fact]
    public async Task UnlistedEvent_DoesNotPublishItsPlaceEither()
    {
        var a = await client.TokenForAsync("communist-party-of-canada");
        var (_, place) = await CreateAsync(a, "Unlisted planning session", "unlisted", SecretPlace("Back Room", "Quietburg"));

        await AssertPlaceIsHiddenAsync(place, "Back Room", "Quietburg");
    }

    [Fact]
    public async Task PendingSubmission_Place_IsHidden_AndGoneAfterRejection()
    {
        var body = WriteClient.EventBody("Neighbourhood meeting");
        body.Remove("place");
        body["organizations"] = new JsonArray();
        body["newPlace"] = SecretPlace("Kitchen Table", "Pendingtown");
        var submitted = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body)).ExpectAsync(HttpStatusCode.Created);
        var slug = (string)submitted["slug"]!;
        var place = (string)submitted["place"]!["slug"]!;

        await AssertPlaceIsHiddenAsync(place, "Kitchen Table", "Pendingtown");

        await (await client.SendJsonAsync(HttpMethod.Post, $"/api/events/{slug}/reject", null, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.NoContent);

        await AssertPlaceIsHiddenAsync(place, "Kitchen Table", "Pendingtown");
        await (await client.SendJsonAsync(HttpMethod.Get, $"/api/places/{place}", null, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Place_IsPublicWhileAPublicEventUsesIt_AndNotAfter()
    {
        var a = await client.TokenForAsync("communist-party-of-canada");
        var (slug, place) = await CreateAsync(a, "Open rally at the square", "public", SecretPlace("Freedom Square", "Openville"));

        Assert.Contains("Freedom Square", await client.GetStringAsync("/api/places", TestContext.Current.CancellationToken));
        Assert.Contains("Openville", await client.GetStringAsync("/api/cities", TestContext.Current.CancellationToken));
        await client.GetJsonAsync("/api/cities/openville");

        using var made = await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}", new JsonObject { ["visibility"] = "private" }, a, "application/merge-patch+json");
        await made.ExpectAsync(HttpStatusCode.OK);

        await AssertPlaceIsHiddenAsync(place, "Freedom Square", "Openville");
    }

    [Fact]
    public async Task AdminsPlace_IsPublic_AnOrganizationsIsNotUntilUsed()
    {
        var hall = SecretPlace("Union Hall", "Adminton");
        hall["address"] = "1 Labour Street";
        var admins = await (await client.SendJsonAsync(HttpMethod.Post, "/api/places", hall, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.Created);
        Assert.Contains("Union Hall", await client.GetStringAsync("/api/places", TestContext.Current.CancellationToken));
        await client.GetJsonAsync($"/api/places/{admins["slug"]}");

        var a = await client.TokenForAsync("communist-party-of-canada");
        var mine = await (await client.SendJsonAsync(HttpMethod.Post, "/api/places", SecretPlace("Member's Flat", "Orgtown"), a)).ExpectAsync(HttpStatusCode.Created);
        await AssertPlaceIsHiddenAsync((string)mine["slug"]!, "Member's Flat", "Orgtown");
    }

    [Fact]
    public async Task Parent_AnotherOrganizationsPrivateEvent_AnswersAsMissing_AndAPublicOneIsRefused()
    {
        var a = await client.TokenForAsync("communist-party-of-canada");
        var b = await client.TokenForAsync("cupe");
        var (privateSlug, _) = await CreateAsync(a, "Closed strategy assembly", "private");
        var (publicSlug, _) = await CreateAsync(a, "Open assembly", "public");

        var session = WriteClient.EventBody("Hijacked panel");
        session["kind"] = "panel";
        session["parent"] = privateSlug;
        var hidden = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", session, b)).ExpectAsync(HttpStatusCode.BadRequest);
        session["parent"] = "2031-01-01-no-such-assembly";
        var missing = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", session, b)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(missing["errors"]!.ToJsonString().Replace("2031-01-01-no-such-assembly", "X"), hidden["errors"]!.ToJsonString().Replace(privateSlug, "X"));

        session["parent"] = publicSlug;
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", session, b)).ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Empty((await client.GetJsonAsync($"/api/events/{publicSlug}")).Array("sessions"));

        // The host itself may add sessions, and the admin may delete the assembly afterwards once they are gone.
        session["parent"] = publicSlug;
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", session, a)).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task ReadAtEvent_AnotherOrganizationsPrivateEvent_AnswersAsMissing_AndAPublicOneIsRefused()
    {
        var a = await client.TokenForAsync("communist-party-of-canada");
        var b = await client.TokenForAsync("cupe");
        var (privateSlug, _) = await CreateAsync(a, "Closed members' meeting", "private");
        var (publicSlug, _) = await CreateAsync(a, "Public forum", "public");

        JsonObject Statement(string readAt) => new() { ["title"] = "Our statement", ["issuedOn"] = "2026-12-05", ["summary"] = "A statement.", ["readAtEvent"] = readAt };
        var hidden = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/cupe/statements", Statement(privateSlug), b)).ExpectAsync(HttpStatusCode.BadRequest);
        var missing = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/cupe/statements", Statement("2031-01-01-no-such-event"), b)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(missing["errors"]!.ToJsonString().Replace("2031-01-01-no-such-event", "X"), hidden["errors"]!.ToJsonString().Replace(privateSlug, "X"));

        await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/cupe/statements", Statement(publicSlug), b)).ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Empty((await client.GetJsonAsync($"/api/events/{publicSlug}")).Array("statementsRead"));
    }

    [Theory]
    [InlineData("PATCH")]
    [InlineData("PUT")]
    [InlineData("POST-cancel")]
    [InlineData("POST-resolutions")]
    public async Task WriteToAnotherOrganizationsPrivateEvent_IsA404LikeAMissingOne(string route)
    {
        var a = await client.TokenForAsync("communist-party-of-canada");
        var b = await client.TokenForAsync("cupe");
        var (privateSlug, _) = await CreateAsync(a, $"Closed meeting {route}", "private");
        var (publicSlug, _) = await CreateAsync(a, $"Open meeting {route}", "public");

        var hidden = await SendAsync(route, privateSlug, b);
        var missing = await SendAsync(route, "2031-01-01-no-such-event", b);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal(HttpStatusCode.NotFound, hidden.Status);
        Assert.Equal(missing.Detail.Replace("2031-01-01-no-such-event", "X"), hidden.Detail.Replace(privateSlug, "X"));

        // A public event of another organization: that one is known to exist, and the change is refused.
        var visible = await SendAsync(route, publicSlug, b);
        Assert.Equal(HttpStatusCode.Forbidden, visible.Status);
    }

    [Fact]
    public async Task CoOrganizerOfAPrivateEvent_SeesIt_InItsPrivateFeed_AndAsASingleRead_OthersDoNot()
    {
        var a = await client.TokenForAsync("communist-party-of-canada");
        var b = await client.TokenForAsync("young-communist-league-of-canada");
        var c = await client.TokenForAsync("cupe");
        var (slug, _) = await CreateAsync(a, "Joint private briefing", "private");

        var read = await (await client.SendJsonAsync(HttpMethod.Get, $"/api/events/{slug}", null, b)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Joint private briefing", (string)read["title"]!);
        var secret = await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations/young-communist-league-of-canada/feed-secret", null, b)).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("Joint private briefing", await client.GetStringAsync((string)secret["url"]!, TestContext.Current.CancellationToken));

        await (await client.SendJsonAsync(HttpMethod.Get, $"/api/events/{slug}", null, c)).ExpectAsync(HttpStatusCode.NotFound);
        await (await client.SendJsonAsync(HttpMethod.Get, $"/api/events/{slug}", null)).ExpectAsync(HttpStatusCode.NotFound);

        // Seeing is not changing: a co-organizer's change is refused.
        using var change = await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}", new JsonObject { ["title"] = "Changed" }, b, "application/merge-patch+json");
        await change.ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SessionOfAnAssemblyMadePrivate_NoLongerNamesIt()
    {
        var a = await client.TokenForAsync("communist-party-of-canada");
        var (assembly, _) = await CreateAsync(a, "Assembly soon to be private", "public");
        var session = WriteClient.EventBody("Public workshop at the assembly");
        session["kind"] = "workshop";
        session["parent"] = assembly;
        var slug = (string)(await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", session, a)).ExpectAsync(HttpStatusCode.Created))["slug"]!;

        using var made = await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{assembly}", new JsonObject { ["visibility"] = "private" }, a, "application/merge-patch+json");
        await made.ExpectAsync(HttpStatusCode.OK);

        Assert.Null((await client.GetJsonAsync($"/api/events/{slug}"))["parent"]);
        Assert.DoesNotContain(assembly, await client.GetStringAsync("/api/events?limit=200&from=2026-12-01&to=2026-12-31", TestContext.Current.CancellationToken));
        Assert.Equal(assembly, (string)(await (await client.SendJsonAsync(HttpMethod.Get, $"/api/events/{slug}", null, a)).ExpectAsync(HttpStatusCode.OK))["parent"]!);
    }

    private async Task AssertPlaceIsHiddenAsync(string? placeSlug, string name, string city)
    {
        Assert.NotNull(placeSlug);
        var ct = TestContext.Current.CancellationToken;
        var places = await client.GetStringAsync("/api/places", ct);
        Assert.DoesNotContain(name, places);
        Assert.DoesNotContain("Hidden Lane", places);
        Assert.DoesNotContain(city, await client.GetStringAsync("/api/cities", ct));
        await client.GetJsonAsync($"/api/cities/{city.ToLowerInvariant()}", HttpStatusCode.NotFound);
        using var feed = await client.GetAsync($"/feeds/cities/{city.ToLowerInvariant()}.ics", ct);
        Assert.Equal(HttpStatusCode.NotFound, feed.StatusCode);
        using var filtered = await client.GetAsync($"/feeds/events.ics?city={city}", ct);
        Assert.DoesNotContain(name, await filtered.Content.ReadAsStringAsync(ct));
        await client.GetJsonAsync($"/api/places/{placeSlug}", HttpStatusCode.NotFound);
        Assert.DoesNotContain(name, await client.GetStringAsync($"/api/search?q={Uri.EscapeDataString(name)}", ct));
        var other = await client.TokenForAsync("cupe");
        await (await client.SendJsonAsync(HttpMethod.Get, $"/api/places/{placeSlug}", null, other)).ExpectAsync(HttpStatusCode.NotFound);
    }

    private static JsonObject SecretPlace(string name, string city) => new()
    {
        ["name"] = name,
        ["address"] = "13 Hidden Lane",
        ["city"] = city,
        ["countryCode"] = "CA",
        ["latitude"] = 43.7,
        ["longitude"] = -79.4,
    };

    private async Task<(string Slug, string? Place)> CreateAsync(string token, string title, string visibility, JsonObject? newPlace = null)
    {
        var body = WriteClient.EventBody(title);
        body["kind"] = "assembly";
        body["visibility"] = visibility;
        if (newPlace is not null)
        {
            body.Remove("place");
            body["newPlace"] = newPlace;
        }

        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, token)).ExpectAsync(HttpStatusCode.Created);
        return ((string)created["slug"]!, (string?)created["place"]?["slug"]);
    }

    private async Task<(HttpStatusCode Status, string Detail)> SendAsync(string route, string slug, string token)
    {
        using var response = route switch
        {
            "PATCH" => await client.SendJsonAsync(HttpMethod.Patch, $"/api/events/{slug}", new JsonObject { ["title"] = "Taken over" }, token, "application/merge-patch+json"),
            "PUT" => await client.SendJsonAsync(HttpMethod.Put, $"/api/events/{slug}", WriteClient.EventBody("Taken over"), token),
            "DELETE" => await client.SendJsonAsync(HttpMethod.Delete, $"/api/events/{slug}", null, token),
            "POST-cancel" => await client.SendJsonAsync(HttpMethod.Post, $"/api/events/{slug}/cancel", new JsonObject { ["reason"] = "x" }, token),
            _ => await client.SendJsonAsync(HttpMethod.Post, $"/api/events/{slug}/resolutions", new JsonObject { ["title"] = "Resolution", ["text"] = "Text", ["outcome"] = "adopted" }, token),
        };
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var detail = body.Length == 0 ? "" : (string?)JsonNode.Parse(body)?["detail"] ?? "";
        return (response.StatusCode, detail);
    }
}
