using System.Diagnostics;
using System.Globalization;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Organizer.Application;
using Organizer.Application.Common.Behaviours;
using Organizer.Application.Events;
using Organizer.Application.Feeds;
using Organizer.Application.Search;
using Organizer.Application.Timeline;
using Organizer.Infrastructure;
using Organizer.Application.Common.Security;

namespace Organizer.Benchmarks;

/// <summary>
/// Server-side latency of the timeline, summary, filtered event list and search at scale. It builds the app's own
/// services (AddApplication, AddInfrastructure and the same Mediator pipeline as src/Organizer.Api/Program.cs) and
/// sends the real queries, one DI scope per query as a request would have, one at a time. The time is that of
/// <c>ISender.Send</c>: validation, the handler, EF Core and the database round trips; HTTP and JSON are not in it.
///
///   dotnet run -c Release --project tests/Organizer.Benchmarks -- timeline --connection "Host=…;Port=…;Username=…;Database=…"
///
/// Fill the database first with tests/Organizer.DataGenerator (see docs/performance.md).
/// </summary>
public static class TimelineBenchmark
{
    private const string Usage = """
        Usage: Organizer.Benchmarks timeline [--connection <connection string>] [--rounds N] [--warmup N] [--seed S] [--deep-pages N] [--only <scenario>]
          --connection  PostgreSQL connection string (default: env ConnectionStrings__Organizer)
          --rounds      measured rounds; each round sends every scenario once (default 500)
          --warmup      rounds sent first and not measured (default 30)
          --seed        random seed for the organizations, cities, dates and terms picked (default 1)
          --deep-pages  how many pages (of 50) deep the deep timeline page is (default 100)
          --rank-within Organizer:Search:RankWithin (default: the app's)
          --only        run only the scenarios whose name starts with this, e.g. "search" or "events, organization"
        """;

    /// <summary>Words people would look for in this data: frequent and rare, accented and not, phrases, exclusions.</summary>
    private static readonly string[] SearchTerms =
    [
        "palestine", "renovictions", "montreal", "Montréal", "bolivia", "hands off venezuela", "\"living wage\"", "nurses",
        "pipeline -climate", "zocalo", "door-knocking", "general assembly", "tenant unions", "cuba blockade", "deportations",
        "transit workers", "arms fair", "sanctions or austerity", "press freedom", "bogota", "rally", "solidarity",
        "political prisoners", "child care", "xylophone",
    ];

    private static readonly string[] Kinds = ["rally", "picket", "march", "demonstration", "vigil", "teach-in", "panel", "assembly"];

    private sealed record Sample(string Scenario, double Milliseconds, bool Big, string? Label);

    public static async Task<int> RunAsync(string[] args)
    {
        string? connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Organizer");
        int rounds = 500, warmup = 30, seed = 1, deepPages = 100;
        string? only = null;
        string? rankWithin = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Number() => int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--connection": connectionString = Value(); break;
                case "--rounds": rounds = Number(); break;
                case "--warmup": warmup = Number(); break;
                case "--seed": seed = Number(); break;
                case "--deep-pages": deepPages = Number(); break;
                case "--only": only = Value(); break;
                case "--rank-within": rankWithin = Value(); break;
                case "-h" or "--help": Console.WriteLine(Usage); return 0;
                default: Console.Error.WriteLine($"Unknown option '{args[i]}'.\n{Usage}"); return 2;
            }
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Console.Error.WriteLine($"No database: pass --connection or set ConnectionStrings__Organizer.\n{Usage}");
            return 2;
        }

        await using var services = BuildServices(connectionString, rankWithin);
        var random = new Random(seed);

        // The data set: organizations by their number of public events (as the timeline and feeds count them).
        var (organizations, cities, eventCount) = await DescribeAsync(connectionString);
        if (organizations.Count == 0)
        {
            Console.Error.WriteLine("The database has no organizations with events: run tests/Organizer.DataGenerator first.");
            return 3;
        }

        var biggest = organizations.Take(10).Select(o => o.Slug).ToList();
        var others = organizations.Skip(10).Select(o => o.Slug).OrderBy(_ => random.Next()).Take(90).ToList();
        var picked = biggest.Concat(others).ToList();
        var big = biggest.ToHashSet(StringComparer.Ordinal);
        Console.WriteLine($"Data: {eventCount:N0} events, {organizations.Count:N0} organizations with public events; " +
            $"biggest {organizations[0].Slug} ({organizations[0].Events:N0} events), median {organizations[organizations.Count / 2].Events:N0}.");
        Console.WriteLine($"Organizations used: the 10 biggest ({string.Join(", ", organizations.Take(10).Select(o => o.Events.ToString("N0", CultureInfo.InvariantCulture)))} events) " +
            $"and 90 others picked at random (seed {seed}).");

        // Deep pages: walk the timelines of the 20 biggest organizations through nextCursor (not timed).
        var deep = new List<(string Slug, string Cursor, int Page)>();
        var walk = Stopwatch.StartNew();
        foreach (var slug in organizations.Take(only is null || "timeline, deep".StartsWith(only, StringComparison.Ordinal) ? 20 : 0).Select(o => o.Slug))
        {
            string? cursor = null;
            string? deepest = null;
            var page = 1;
            for (; page <= deepPages; page++)
            {
                var result = await SendAsync(services, new GetTimelineQuery(slug, Cursor: cursor));
                if (result.NextCursor is null)
                {
                    break;
                }

                deepest = cursor = result.NextCursor;
            }

            if (deepest is not null)
            {
                deep.Add((slug, deepest, page));
            }
        }

        Console.WriteLine(deep.Count == 0 ? "Deep cursors: not needed." : $"Deep cursors: page {deep.Min(d => d.Page)}–{deep.Max(d => d.Page)} of the 20 biggest organizations' timelines (walked in {walk.Elapsed.TotalSeconds:F1} s).");

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        string? label = null;
        var list = new List<(string Name, Func<AsyncServiceScope, Task<bool>> Run)>
        {
            ("timeline, first page", async scope =>
            {
                var slug = picked[random.Next(picked.Count)];
                await scope.ServiceProvider.GetRequiredService<ISender>().Send(new GetTimelineQuery(slug));
                return big.Contains(slug);
            }),
            ($"timeline, deep page (~{deepPages} pages in, via cursor)", async scope =>
            {
                var (slug, cursor, _) = deep[random.Next(deep.Count)];
                await scope.ServiceProvider.GetRequiredService<ISender>().Send(new GetTimelineQuery(slug, Cursor: cursor));
                return big.Contains(slug);
            }),
            ("events, kind + city", async scope =>
            {
                var query = new ListEventsQuery(new ListEventsParameters(Kind: Kinds[random.Next(Kinds.Length)], City: cities[random.Next(Math.Min(cities.Count, 20))]));
                await scope.ServiceProvider.GetRequiredService<ISender>().Send(query);
                return false;
            }),
            ("events, organization + from", async scope =>
            {
                var slug = picked[random.Next(picked.Count)];
                var from = new DateOnly(2015, 1, 1).AddDays(random.Next(today.DayNumber - new DateOnly(2015, 1, 1).DayNumber));
                await scope.ServiceProvider.GetRequiredService<ISender>().Send(
                    new ListEventsQuery(new ListEventsParameters(Organization: slug, From: from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
                return big.Contains(slug);
            }),
            ("events, organization + from + to", async scope =>
            {
                var slug = picked[random.Next(picked.Count)];
                var from = new DateOnly(2015, 1, 1).AddDays(random.Next(today.DayNumber - new DateOnly(2015, 1, 1).DayNumber));
                var to = from.AddDays(random.Next(7, 366));
                await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ListEventsQuery(new ListEventsParameters(
                    Organization: slug, From: from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), To: to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
                return big.Contains(slug);
            }),
            ("organization feed, a year from a date (event text kept)", async scope =>
            {
                var slug = picked[random.Next(picked.Count)];
                var from = new DateOnly(2015, 1, 1).AddDays(random.Next(today.DayNumber - new DateOnly(2015, 1, 1).DayNumber));
                await scope.ServiceProvider.GetRequiredService<ISender>().Send(new RenderFeedQuery(FeedScope.Organization, slug, new FeedParameters(
                    From: from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), To: from.AddDays(365).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
                return big.Contains(slug);
            }),
            ("search", async scope =>
            {
                label = SearchTerms[random.Next(SearchTerms.Length)];
                await scope.ServiceProvider.GetRequiredService<ISender>().Send(new SearchQuery(label));
                return false;
            }),
            ("summary", async scope =>
            {
                var slug = picked[random.Next(picked.Count)];
                await scope.ServiceProvider.GetRequiredService<ISender>().Send(new GetSummaryQuery(slug));
                return big.Contains(slug);
            }),
        };

        if (only is not null)
        {
            list = list.Where(q => q.Name.StartsWith(only, StringComparison.Ordinal)).ToList();
        }

        var samples = new List<Sample>(rounds * list.Count);
        var total = Stopwatch.StartNew();
        for (var round = -warmup; round < rounds; round++)
        {
            foreach (var (name, run) in list)
            {
                await using var scope = services.CreateAsyncScope();
                label = null;
                var stopwatch = Stopwatch.StartNew();
                var isBig = await run(scope);
                var elapsed = stopwatch.Elapsed.TotalMilliseconds;
                if (round >= 0)
                {
                    samples.Add(new Sample(name, elapsed, isBig, label));
                }
            }
        }

        Console.WriteLine($"{rounds} rounds after {warmup} warm-up rounds, {samples.Count:N0} queries measured in {total.Elapsed.TotalSeconds:F0} s, one at a time.");
        Console.WriteLine();
        Console.WriteLine("| Query | n | p50 ms | p90 ms | p99 ms | max ms | mean ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, _) in list)
        {
            Row(name, samples.Where(s => s.Scenario == name).ToList());
            var bigOnes = samples.Where(s => s.Scenario == name && s.Big).ToList();
            if (bigOnes.Count > 0 && bigOnes.Count < samples.Count(s => s.Scenario == name))
            {
                Row($"{name} — the 10 biggest organizations only", bigOnes);
            }
        }

        // Search time follows how many events a term matches (every match is ranked): each term on its own.
        Console.WriteLine();
        Console.WriteLine("| Search term | n | p50 ms | max ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var term in samples.Where(s => s.Label is not null).GroupBy(s => s.Label!).OrderBy(g => g.Select(s => s.Milliseconds).Order().ElementAt((g.Count() - 1) / 2)))
        {
            var sorted = term.Select(s => s.Milliseconds).Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| `{term.Key}` | {sorted.Length} | {Percentile(sorted, 50):F1} | {sorted[^1]:F1} |"));
        }

        return 0;
    }

    private static void Row(string name, List<Sample> samples)
    {
        var sorted = samples.Select(s => s.Milliseconds).Order().ToArray();
        string F(double v) => v.ToString(v < 10 ? "F2" : "F1", CultureInfo.InvariantCulture);
        Console.WriteLine($"| {name} | {sorted.Length} | {F(Percentile(sorted, 50))} | {F(Percentile(sorted, 90))} | {F(Percentile(sorted, 99))} | {F(sorted[^1])} | {F(sorted.Average())} |");
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>The API's services, registered the way src/Organizer.Api/Program.cs registers them (no web server).</summary>
    private static ServiceProvider BuildServices(string connectionString, string? rankWithin)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>(rankWithin is null ? [] : [new($"{SearchOptions.Section}:{nameof(SearchOptions.RankWithin)}", rankWithin)])
            {
                [$"ConnectionStrings:{Organizer.Infrastructure.DependencyInjection.ConnectionStringName}"] = connectionString,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddApplication();
        services.AddInfrastructure(configuration);
        services.Configure<ModerationOptions>(configuration.GetSection(ModerationOptions.Section));
        services.Configure<SearchOptions>(configuration.GetSection(SearchOptions.Section));
        services.AddSingleton<Organizer.Application.Common.Links.ILinks, BenchmarkLinks>();
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(ListEventsQuery)];
            options.PipelineBehaviors = [typeof(ValidationBehaviour<,>)];
        });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    private static async Task<T> SendAsync<T>(ServiceProvider services, IQuery<T> query)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(query);
    }

    private static async Task<(List<(string Slug, long Events)> Organizations, List<string> Cities, long Events)> DescribeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var organizations = new List<(string, long)>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT o.slug, count(*) FROM organizations o
            JOIN event_participations p ON p.organization_id = o.id
            JOIN events e ON e.id = p.event_id AND e.visibility = 'Public' AND e.status <> 'Pending'
            GROUP BY o.slug ORDER BY count(*) DESC, o.slug
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                organizations.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        // Cities by number of events, so that "a random city" is one people would ask about.
        var cities = new List<string>();
        await using (var command = new NpgsqlCommand(
            "SELECT pl.city FROM events e JOIN places pl ON pl.id = e.place_id WHERE pl.city IS NOT NULL GROUP BY pl.city ORDER BY count(*) DESC", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                cities.Add(reader.GetString(0));
            }
        }

        await using var count = new NpgsqlCommand("SELECT count(*) FROM events", connection);
        return (organizations, cities, (long)(await count.ExecuteScalarAsync())!);
    }
}
