using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// The home page as a person gets it: served by Kestrel on a real port, drawn by headless Chromium, and every link on
/// it followed. Each organization's Atom feed is offered beside its calendar, and nothing private shows up.
/// </summary>
public sealed partial class HomePageBrowserTests(KestrelApiFactory factory) : IClassFixture<KestrelApiFactory>
{
    private const string InstallChromium = "apt-get install -y --no-install-recommends chromium (.ci/run installs it when missing)";

    // A blank page drawn at this size is about 12 KB; the home page, with its text, is well over 100 KB.
    private const int SmallestRenderedPage = 40_000;

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task HomePage_InHeadlessChromium_DrawsAFullScreenshot()
    {
        var chromium = FindOnPath("chromium");
        if (chromium is null)
        {
            Assert.Fail($"chromium is not on PATH, so the home page can't be checked in a browser. Install it: {InstallChromium}");
        }

        var screenshot = Path.Combine(ResultsDirectory(), "home-page.png");
        File.Delete(screenshot);
        var profile = Directory.CreateTempSubdirectory("organizer-chromium-");
        try
        {
            var (exitCode, output) = await RunAsync(chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu",

                // The page is on loopback; nothing else should be contacted, and a profile of its own keeps this
                // run apart from any other Chromium on the machine.
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                $"--user-data-dir={profile.FullName}",
                $"--screenshot={screenshot}", "--window-size=1280,2000",
                new Uri(client.BaseAddress!, "/").ToString(),
            ]);

            Assert.True(exitCode == 0, $"chromium exited with {exitCode}:\n{output}");
            Assert.True(File.Exists(screenshot), $"chromium wrote no screenshot:\n{output}");
            var png = await File.ReadAllBytesAsync(screenshot, TestContext.Current.CancellationToken);
            Assert.True(png.AsSpan().StartsWith(PngSignature), "The screenshot is not a PNG.");
            Assert.Equal((1280u, 2000u), (BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20))));
            Assert.True(png.Length > SmallestRenderedPage, $"The screenshot is {png.Length} bytes, about what a blank page gives: {screenshot}");
            TestContext.Current.TestOutputHelper?.WriteLine($"Home page screenshot: {screenshot}");
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A Chromium helper still exiting can hold a file for a moment; a leftover temp profile is harmless.
            }
        }
    }

    [Fact]
    public async Task HomePage_EveryLinkOnItAnswers200()
    {
        var home = new Uri(client.BaseAddress!, "/");
        var html = await client.GetStringAsync(home, TestContext.Current.CancellationToken);
        var links = Links(html).Select(href => new Uri(home, href)).Distinct().ToList();
        Assert.NotEmpty(links);

        var failures = new List<string>();
        foreach (var link in links)
        {
            var target = Fetchable(link, home);
            if (target is null)
            {
                failures.Add($"{link} leaves this server");
                continue;
            }

            // Redirects are followed as a browser would: /docs sends people on to /docs/.
            using var response = await client.GetAsync(target, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"{link} answered {(int)response.StatusCode}");
            }
        }

        Assert.True(failures.Count == 0, $"Of {links.Count} links on the home page:\n{string.Join('\n', failures)}");
    }

    [Fact]
    public async Task HomePage_OffersEachOrganizationsAtomFeed_ToPeopleAndToFeedReaders()
    {
        var html = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        var atom = new Uri(client.BaseAddress!, "/feeds/organizations/communist-party-of-canada.atom").ToString();

        Assert.Contains($"<a href=\"{atom}\">Atom feed</a>", html);
        Assert.Contains($"<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Communist Party of Canada\" href=\"{atom}\">", html);
        using var feed = await client.GetAsync(atom, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("application/atom+xml", feed.Content.Headers.ContentType!.MediaType);

        // Every organization offered to subscribe to has both; cities and the all-feed have no timeline, so no Atom.
        var organizations = Slugs(html, "<a href=\"webcal://[^\"]*/feeds/organizations/(?<slug>[^\"/]+)\\.ics\">Subscribe</a>");
        Assert.NotEmpty(organizations);
        Assert.Equal(organizations, Slugs(html, "<a href=\"[^\"]*/feeds/organizations/(?<slug>[^\"/]+)\\.atom\">Atom feed</a>"));
        Assert.Equal(organizations, Slugs(html, "<link rel=\"alternate\" type=\"application/atom\\+xml\"[^>]*/feeds/organizations/(?<slug>[^\"/]+)\\.atom\">"));
        Assert.Equal(organizations.Count, Regex.Matches(html, "\\.atom\"").Count / 2);
    }

    [Fact]
    public async Task HomePage_NeverShowsAnOrganizationOrEventThatOnlyPrivateOrUnlistedEventsHold()
    {
        var slug = "home-private-" + Guid.NewGuid().ToString("N")[..8];
        var name = $"Quiet circle {slug}";
        await (await client.SendJsonAsync(HttpMethod.Post, "/api/organizations", new JsonObject { ["name"] = name, ["slug"] = slug }, ApiFactory.AdminToken))
            .ExpectAsync(HttpStatusCode.Created);
        foreach (var visibility in new[] { "private", "unlisted" })
        {
            var body = WriteClient.EventBody($"Closed meeting {visibility} {slug}");
            body["host"] = slug;
            body["organizations"] = new JsonArray();
            body["visibility"] = visibility;
            await (await client.SendJsonAsync(HttpMethod.Post, "/api/events", body, ApiFactory.AdminToken)).ExpectAsync(HttpStatusCode.Created);
        }

        var html = await client.GetStringAsync("/", TestContext.Current.CancellationToken);

        Assert.DoesNotContain(slug, html);
        Assert.DoesNotContain("Quiet circle", html);
        Assert.DoesNotContain("Closed meeting", html);
    }

    private static List<string> Slugs(string html, string pattern) => Regex.Matches(html, pattern).Select(m => m.Groups["slug"].Value).ToList();

    /// <summary>Every <c>&lt;a href&gt;</c> and <c>&lt;link href&gt;</c>, decoded as a browser reads the attribute.</summary>
    private static IEnumerable<string> Links(string html) =>
        HrefPattern().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups["href"].Value));

    /// <summary>
    /// The http address a link comes down to on this server, or null if it points elsewhere. webcal:// is http under
    /// another name, and the tests have no network, so Google's add-by-URL link is checked by the feed it hands Google.
    /// </summary>
    private static Uri? Fetchable(Uri link, Uri home)
    {
        if (link.Scheme == "webcal")
        {
            link = new UriBuilder(link) { Scheme = home.Scheme, Port = link.Port }.Uri;
        }
        else if (link is { Scheme: "https", Host: "calendar.google.com" }
                 && System.Web.HttpUtility.ParseQueryString(link.Query)["cid"] is { } cid)
        {
            return Fetchable(new Uri(cid), home);
        }

        return Uri.Compare(link, home, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0 ? link : null;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    /// <summary>The repository's TestResults folder (ignored by git), so the screenshot can be looked at after a run.</summary>
    private static string ResultsDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Organizer.sln")))
        {
            directory = directory.Parent;
        }

        var results = directory is null ? Path.GetTempPath() : Path.Combine(directory.FullName, "TestResults");
        Directory.CreateDirectory(results);
        return results;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} took more than 90 s to draw the page.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex("""<(?:a|link)\b[^>]*?\shref="(?<href>[^"]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex HrefPattern();
}
