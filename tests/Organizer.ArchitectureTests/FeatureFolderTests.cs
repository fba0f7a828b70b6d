using NetArchTest.Rules;
using Organizer.Application;

namespace Organizer.ArchitectureTests;

/// <summary>
/// Feature folders of Application may depend on one another only one way, so that each can be read (and later
/// split) without dragging the rest along. <c>Common</c> is a folder like the others here: it may depend on none.
/// </summary>
public sealed class FeatureFolderTests
{
    private const string Root = "Organizer.Application";

    [Fact]
    public void FeatureFolders_FormNoCycle()
    {
        var graph = DependencyGraph();
        var cycles = new List<string>();
        foreach (var from in graph.Keys)
            foreach (var to in graph[from].Keys)
                if (string.CompareOrdinal(from, to) < 0 && graph[to].ContainsKey(from))
                    cycles.Add($"{from} -> {to} ({graph[from][to]}) and {to} -> {from} ({graph[to][from]})");

        var longer = LongerCycles(graph);
        Assert.True(cycles.Count == 0 && longer.Count == 0,
            "Feature folders that depend on each other:\n" + string.Join("\n", cycles.Concat(longer.Take(10))));
    }

    [Fact]
    public void TheGraph_SeesRealDependencies()
    {
        // Guards the test above against a graph that is empty because of a namespace typo.
        var graph = DependencyGraph();
        Assert.Contains("Common", graph["Events"].Keys);
    }

    private static Dictionary<string, Dictionary<string, string>> DependencyGraph()
    {
        var types = Types.InAssembly(typeof(IOrganizerDbContext).Assembly).GetTypes().ToList();
        var folders = types
            .Select(t => Folder(t.ReflectionType.Namespace))
            .OfType<string>()
            .Distinct()
            .ToList();

        var graph = folders.ToDictionary(f => f, _ => new Dictionary<string, string>());
        foreach (var from in folders)
            foreach (var to in folders.Where(f => f != from))
            {
                var users = Types.InAssembly(typeof(IOrganizerDbContext).Assembly)
                    .That().HaveDependencyOnAny($"{Root}.{to}")
                    .GetTypes()
                    .Where(t => Folder(t.ReflectionType.Namespace) == from)
                    .Select(t => t.Name)
                    .Distinct()
                    .ToList();
                if (users.Count > 0)
                    graph[from][to] = string.Join(", ", users.Take(4));
            }
        return graph;
    }

    private static string? Folder(string? ns)
    {
        if (ns is null || !ns.StartsWith(Root + ".", StringComparison.Ordinal))
            return null;
        return ns[(Root.Length + 1)..].Split('.')[0];
    }

    private static List<string> LongerCycles(Dictionary<string, Dictionary<string, string>> graph)
    {
        var found = new List<string>();
        foreach (var start in graph.Keys)
        {
            var stack = new Stack<List<string>>();
            stack.Push([start]);
            while (stack.Count > 0)
            {
                var path = stack.Pop();
                foreach (var next in graph[path[^1]].Keys)
                {
                    if (next == start && path.Count > 2 && path.Min(StringComparer.Ordinal) == start)
                        found.Add(string.Join(" -> ", path.Append(start)));
                    else if (!path.Contains(next))
                        stack.Push([.. path, next]);
                }
            }
        }
        return found;
    }
}
