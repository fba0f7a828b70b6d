using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// Mozilla's ical.js (the parser Thunderbird uses), run under Node: an independent reading of our feeds.
/// Installs its pinned npm packages on first use, so a plain 'dotnet test' works on a fresh clone.
/// </summary>
internal static class IcalJs
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private static bool installed;

    internal static string Folder { get; } = Path.Combine(RepositoryRoot(), "tests", "calendar-parsers");

    public static async Task<JsonNode> ParseAsync(string ics)
    {
        await EnsureInstalledAsync();
        var file = Path.Combine(Path.GetTempPath(), $"organizer-feed-{Guid.NewGuid():N}.ics");
        await File.WriteAllTextAsync(file, ics);
        try
        {
            var (code, stdout, stderr) = await RunAsync("node", [Path.Combine(Folder, "parse-ical.mjs"), file]);
            Assert.True(code == 0, $"ical.js rejected the feed: {stderr}\n{ics}");
            return JsonNode.Parse(stdout)!;
        }
        finally
        {
            File.Delete(file);
        }
    }

    internal static async Task EnsureInstalledAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            if (installed || Directory.Exists(Path.Combine(Folder, "node_modules", "ical.js")))
            {
                installed = true;
                return;
            }

            var (code, stdout, stderr) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], Folder);
            Assert.True(code == 0, $"npm ci failed in {Folder}: {stdout}\n{stderr}");
            installed = true;
        }
        finally
        {
            InstallGate.Release();
        }
    }

    internal static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> args, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Folder,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Organizer.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Organizer.sln not found above " + AppContext.BaseDirectory);
    }
}
