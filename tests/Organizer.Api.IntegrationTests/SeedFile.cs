using System.Text.Json.Nodes;

namespace Organizer.Api.IntegrationTests;

/// <summary>The curated seed file, as the tests' statement of what the API must serve.</summary>
internal static class SeedFile
{
    private static readonly Lazy<JsonNode> Root = new(() => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seed.json")))!);

    public static IEnumerable<JsonNode> Section(string name) => Root.Value[name]!.AsArray().Select(n => n!);

    public static IEnumerable<string> Quotes(JsonNode record) => record["citations"]!.AsArray().Select(c => (string)c!["quote"]!);

    public static TheoryData<string> Slugs(string section) => new(Section(section).Select(n => (string)n["slug"]!));

    public static TheoryData<string> EventSlugs => Slugs("events");

    public static TheoryData<string> StatementSlugs => Slugs("statements");

    public static TheoryData<string> OrganizationSlugs => Slugs("organizations");

    public static TheoryData<string> PlaceSlugs => Slugs("places");
}
