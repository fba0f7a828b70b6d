using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Organizer.Infrastructure.Seeding;

namespace Organizer.Api.IntegrationTests;

/// <summary>Everything the five source documents describe can be found through the API, with its source quote.</summary>
public sealed class SeededDataTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Theory]
    [MemberData(nameof(SeedFile.EventSlugs), MemberType = typeof(SeedFile))]
    public async Task EverySeededAction_IsServedWithItsOrganizationsRolesDatesAndQuotes(string slug)
    {
        var seeded = SeedFile.Section("events").Single(e => (string)e["slug"]! == slug);

        var served = await client.GetJsonAsync($"/api/events/{slug}");

        Assert.Equal((string)seeded["title"]!, (string)served["title"]!);
        Assert.Equal((string)seeded["kind"]!, (string)served["kind"]!);
        Assert.Equal((bool)seeded["allDay"]!, (bool)served["allDay"]!);
        Assert.Equal((string)seeded["start"]!, (string)served["start"]!);
        Assert.Equal((string?)seeded["end"] ?? (string)seeded["start"]!, (string?)served["end"]);
        Assert.Equal((string)seeded["datePrecision"]!, (string)served["datePrecision"]!);
        Assert.Equal((string?)seeded["parent"], (string?)served["parent"]);
        Assert.Equal((string?)seeded["place"], (string?)served["place"]?["slug"]);
        Assert.Equal(
            (seeded["organizations"]?.AsArray() ?? []).Select(o => $"{o!["slug"]}:{o["role"]}").Order(),
            served.Array("organizations").Select(o => $"{o!["slug"]}:{o["role"]}").Order());
        Assert.Equal(
            (seeded["speakers"]?.AsArray() ?? []).Select(s => (string)s!["name"]!),
            served.Array("speakers").Select(s => (string)s!["name"]!));
        Assert.NotEmpty(served.Array("sources"));
        Assert.Equal(SeedFile.Quotes(seeded), served.Array("sources").Select(s => (string)s!["quote"]!));
        Assert.All(served.Array("sources"), s => Assert.EndsWith(".txt", (string)s!["document"]!));
    }

    [Theory]
    [MemberData(nameof(SeedFile.StatementSlugs), MemberType = typeof(SeedFile))]
    public async Task EveryStatement_IsServedWithItsIssuersAndQuotes(string slug)
    {
        var seeded = SeedFile.Section("statements").Single(s => (string)s["slug"]! == slug);

        var served = await client.GetJsonAsync($"/api/statements/{slug}");

        Assert.Equal((string)seeded["title"]!, (string)served["title"]!);
        Assert.Equal((string)seeded["issuedOn"]!, (string)served["issuedOn"]!);
        Assert.Equal(seeded["organizations"]!.AsArray().Select(o => (string)o!), served.Array("organizations").Select(o => (string)o!["slug"]!));
        Assert.Equal((string?)seeded["readAtEvent"], (string?)served["readAt"]);
        Assert.Equal(SeedFile.Quotes(seeded), served.Array("sources").Select(s => (string)s!["quote"]!));
    }

    [Theory]
    [MemberData(nameof(SeedFile.OrganizationSlugs), MemberType = typeof(SeedFile))]
    public async Task EveryOrganization_ResolvesByItsSlugAndEveryAlias(string slug)
    {
        var seeded = SeedFile.Section("organizations").Single(o => (string)o["slug"]! == slug);
        var aliases = seeded["aliases"]?.AsArray().Select(a => (string)a!["slug"]!).ToList() ?? [];

        foreach (var asked in aliases.Prepend(slug))
        {
            var served = await client.GetJsonAsync($"/api/organizations/{asked}");
            Assert.Equal(slug, (string)served["slug"]!);
            Assert.Equal((string)seeded["name"]!, (string)served["name"]!);
            Assert.Equal(SeedFile.Quotes(seeded), served.Array("sources").Select(s => (string)s!["quote"]!));
        }
    }

    [Theory]
    [MemberData(nameof(SeedFile.PlaceSlugs), MemberType = typeof(SeedFile))]
    public async Task EveryPlace_IsServed(string slug)
    {
        var seeded = SeedFile.Section("places").Single(p => (string)p["slug"]! == slug);

        var served = await client.GetJsonAsync($"/api/places/{slug}");

        Assert.Equal((string)seeded["name"]!, (string)served["name"]!);
        Assert.Equal((string?)seeded["timeZone"], (string?)served["timeZone"]);
        Assert.Equal((double?)seeded["latitude"], (double?)served["latitude"]);
        Assert.NotEmpty(served.Array("sources"));
    }

    [Fact]
    public async Task EveryResolution_IsServedOnItsAssemblyInOrder()
    {
        foreach (var assembly in SeedFile.Section("resolutions").GroupBy(r => (string)r["event"]!))
        {
            var served = await client.GetJsonAsync($"/api/events/{assembly.Key}");
            var resolutions = served.Array("resolutions");

            Assert.Equal(assembly.Select(r => (string)r["title"]!), resolutions.Select(r => (string)r!["title"]!));
            Assert.Equal(Enumerable.Range(1, resolutions.Count), resolutions.Select(r => (int)r!["ordinal"]!));
            Assert.All(resolutions, r => Assert.NotEmpty(r!.Array("sources")));
        }
    }

    [Fact]
    public async Task TheOctober2020Rally_IsHostedByTheCommunistParty_WithThreeCoOrganizersAndItsSpeakers()
    {
        var rally = await client.GetJsonAsync("/api/events/2020-10-18-toronto-no-new-coup-in-bolivia-rally");

        var roles = rally.Array("organizations").ToDictionary(o => (string)o!["slug"]!, o => (string)o!["role"]!);
        Assert.Equal("host", roles["communist-party-of-canada"]);
        Assert.Equal("co-organizer", roles["young-communist-league-of-canada"]);
        Assert.Equal("co-organizer", roles["toronto-association-for-peace-and-solidarity"]);

        // Named "Solidarity Network" in this report and "Support Network" in the 2019 one: one organization.
        Assert.Equal("co-organizer", roles["latin-american-and-caribbean-support-network"]);
        Assert.Equal("Dozens", (string)rally["attendance"]!["reported"]!);
        Assert.Null(rally["attendance"]!["estimate"]);
        Assert.Contains(rally.Array("speakers"), s => (string)s!["name"]! == "Jay Watts" && (string?)s["organization"] == "communist-party-of-canada");
        Assert.Equal("matt-cohen-park-toronto", (string)rally["place"]!["slug"]!);
    }

    [Fact]
    public async Task TheIlpsAssembly_RunsJuneFirstToFourth_WithItsSessionsAndTenResolutions()
    {
        var assembly = await client.GetJsonAsync("/api/events/2022-06-01-ilps-in-canada-5th-general-assembly");

        Assert.True((bool)assembly["allDay"]!);
        Assert.Equal("2022-06-01", (string)assembly["start"]!);
        Assert.Equal("2022-06-04", (string)assembly["end"]!);
        Assert.NotNull((string?)assembly["dateNote"]);
        Assert.Contains(assembly.Array("sessions"), s => (string)s!["kind"]! == "blockade");
        Assert.Equal(3, assembly.Array("sessions").Count(s => (string)s!["kind"]! == "panel"));
        Assert.Equal(3, assembly.Array("sessions").Count(s => (string)s!["kind"]! == "workshop"));
        Assert.Contains(assembly.Array("sessions"), s => (string)s!["slug"]! == "2022-06-04-ilps-in-canada-closing-session");
        Assert.Equal(10, assembly.Array("resolutions").Count);
        Assert.All(assembly.Array("resolutions"), r => Assert.Equal("adopted", (string)r!["outcome"]!));
    }

    [Fact]
    public async Task TheNovember2019TorontoRally_ReportsMoreThan80_AndTheMasStatementReadThere()
    {
        var rally = await client.GetJsonAsync("/api/events/2019-11-12-toronto-emergency-rally-for-bolivia");

        Assert.Equal(80, (int)rally["attendance"]!["estimate"]!);
        Assert.Equal("More than 80", (string)rally["attendance"]!["reported"]!);
        Assert.Contains(rally.Array("statementsRead"), s => (string)s!["slug"]! == "2019-11-10-mas-statement-condemning-the-coup");
        Assert.Contains(rally.Array("sessions"), s => (string)s!["kind"]! == "march");
    }

    [Fact]
    public async Task AnActionWithNoTimeOfDay_IsAllDay_NeverAnInventedNoon()
    {
        var events = await client.GetAllEventsAsync();

        Assert.Equal(SeedFile.Section("events").Count(), events.Count);
        Assert.All(events.Where(e => (string)e["datePrecision"]! != "exact"), e =>
        {
            Assert.True((bool)e["allDay"]!);
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", (string)e["start"]!);
        });
    }

    [Fact]
    public async Task SeedingAgain_ChangesNothing()
    {
        await using var scope = factory.CreateScope(out var db);
        var before = (await db.Events.CountAsync(TestContext.Current.CancellationToken), await db.Organizations.CountAsync(TestContext.Current.CancellationToken), await db.Statements.CountAsync(TestContext.Current.CancellationToken));

        var written = await scope.ServiceProvider.GetRequiredService<Seeder>().SeedAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, written);
        Assert.Equal(before, (await db.Events.CountAsync(TestContext.Current.CancellationToken), await db.Organizations.CountAsync(TestContext.Current.CancellationToken), await db.Statements.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task AnOrganization_ListsTheStatementsItIssued()
    {
        var cupe = await client.GetJsonAsync("/api/organizations/cupe");

        Assert.Equal("canadian-union-of-public-employees", (string)cupe["slug"]!);
        Assert.Contains(cupe.Array("statements"), s => (string)s!["slug"]! == "2019-11-13-cupe-statement-on-bolivia");
    }

    [Fact]
    public async Task Lists_OfOrganizationsPlacesAndStatements_HoldEverySeededRecord()
    {
        Assert.Equal(SeedFile.Section("organizations").Count(), (await client.GetJsonAsync("/api/organizations")).AsArray().Count);
        Assert.Equal(SeedFile.Section("places").Count(), (await client.GetJsonAsync("/api/places")).AsArray().Count);
        Assert.Equal(SeedFile.Section("statements").Count(), (await client.GetJsonAsync("/api/statements")).AsArray().Count);
    }
}
