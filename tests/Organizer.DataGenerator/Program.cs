using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Organizer.DataGenerator;
using Organizer.Infrastructure.Persistence;

// Fills a PostgreSQL database with generated data for load and performance tests:
//   dotnet run -c Release --project tests/Organizer.DataGenerator -- --connection "Host=…;Port=…;Username=…;Database=…" --events 10000 --organizations 1000
// The connection string can also come from ConnectionStrings__Organizer. The migrations are applied first; the
// tables must be empty, or pass --reset to empty them (this deletes every organization, event, place and statement,
// and, by CASCADE, whatever references them). --series adds recurring series; with --series-only, to a data set
// generated before, and nothing else.

const string Usage = """
    Usage: Organizer.DataGenerator [--connection <connection string>] [--events N] [--organizations M] [--seed S] [--reset] [--series N [--series-only]]
      --connection     PostgreSQL connection string (default: env ConnectionStrings__Organizer)
      --events         events to generate, sessions included (default 10000)
      --organizations  organizations to generate (default 1000)
      --seed           random seed; the same seed gives the same data (default 20261125)
      --reset          empty the application's tables (TRUNCATE ... CASCADE) instead of refusing to add to existing data
      --series         recurring series to add (weekly, monthly, daily; a third endless), half to the 10 biggest organizations (default 0)
      --series-only    add only the series, to a data set generated before
    """;

string? connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Organizer");
int events = 10_000, organizations = 1_000, seed = 20261125, series = 0;
bool reset = false, seriesOnly = false;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    int Number(int min)
    {
        var name = args[i];
        var text = Value();
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new ArgumentException($"{name} must be a whole number of at least {min}, not '{text}'.");
    }

    try
    {
        switch (args[i])
        {
            case "--connection": connectionString = Value(); break;
            case "--events": events = Number(1); break;
            case "--organizations": organizations = Number(1); break;
            case "--seed": seed = Number(0); break;
            case "--reset": reset = true; break;
            case "--series": series = Number(0); break;
            case "--series-only": seriesOnly = true; break;
            case "-h" or "--help": Console.WriteLine(Usage); return 0;
            default: throw new ArgumentException($"Unknown option '{args[i]}'.");
        }
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine(e.Message);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}

if (string.IsNullOrWhiteSpace(connectionString))
{
    Console.Error.WriteLine("No database: pass --connection or set ConnectionStrings__Organizer.");
    Console.Error.WriteLine(Usage);
    return 2;
}

// Bulk loads and VACUUM ANALYZE can take longer than the default 30-second command timeout.
var builder = new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 };
connectionString = builder.ConnectionString;
var total = Stopwatch.StartNew();

// 1. The app's own schema, exactly as the API creates it (src/Organizer.Infrastructure/DependencyInjection.cs).
var step = Stopwatch.StartNew();
var dbOptions = new DbContextOptionsBuilder<OrganizerDbContext>()
    .UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly("Organizer.Migrations"))
    .UseSnakeCaseNamingConvention()
    .Options;
await using (var db = new OrganizerDbContext(dbOptions))
{
    await db.Database.MigrateAsync();
}

Console.WriteLine($"Migrations applied in {step.Elapsed.TotalSeconds:F1} s");

string[] tables =
[
    "statement_issuers", "statements", "resolutions", "event_speakers", "event_participations", "events", "places",
    "organization_aliases", "organizations", "source_documents", "feed_watermarks",
    "organization_event_counts", "organization_statement_counts", "organization_partners",
];

if (seriesOnly)
{
    step.Restart();
    await AddSeriesAsync();
    Console.WriteLine($"Added {series:N0} series in {step.Elapsed.TotalSeconds:F1} s");
    return 0;
}

await using var connection = new NpgsqlConnection(connectionString);
await connection.OpenAsync();

// 2. Never mix generated rows into real data by accident.
await using (var check = new NpgsqlCommand(
    "SELECT EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM organizations) OR EXISTS (SELECT 1 FROM places) OR EXISTS (SELECT 1 FROM statements)",
    connection))
{
    if ((bool)(await check.ExecuteScalarAsync())!)
    {
        if (!reset)
        {
            Console.Error.WriteLine("The database already has organizations, places, events or statements. Pass --reset to delete them first.");
            return 3;
        }

        // CASCADE: rows in newer tables that point at these (tokens, say) cannot outlive them.
        await using var truncate = new NpgsqlCommand($"TRUNCATE {string.Join(", ", tables)} CASCADE", connection);
        await truncate.ExecuteNonQueryAsync();
        Console.WriteLine("Emptied the existing tables (--reset).");
    }
}

// 3. Generate and COPY.
Console.WriteLine($"Generating {events:N0} events and {organizations:N0} organizations (seed {seed}) with binary COPY:");
step.Restart();
var writer = new DataSetWriter(connection, new GeneratorOptions(events, organizations, seed), Console.Out);
await writer.WriteAsync(CancellationToken.None);
var copyTime = step.Elapsed;

// 4. Fresh statistics, so that the planner sees the real table sizes right away, and a VACUUM so that the tables look
// like a live database's (autovacuum would get there later, in the middle of a measurement): hint bits set, and a
// visibility map that index-only scans can use.
step.Restart();
await using (var analyze = new NpgsqlCommand($"VACUUM (ANALYZE) {string.Join(", ", tables)}", connection))
{
    await analyze.ExecuteNonQueryAsync();
}

var analyzeTime = step.Elapsed;
if (series > 0)
{
    step.Restart();
    await AddSeriesAsync();
    Console.WriteLine($"Added {series:N0} series in {step.Elapsed.TotalSeconds:F1} s");
}

var rows = writer.Counts.Values.Sum(c => c.Rows);
Console.WriteLine($"Inserted {rows:N0} rows in {copyTime.TotalSeconds:F1} s ({rows / copyTime.TotalSeconds:N0} rows/s); VACUUM ANALYZE {analyzeTime.TotalSeconds:F1} s; total {total.Elapsed.TotalSeconds:F1} s");
return 0;

// Series go in through the DbContext, with the triggers on, and the tables they touch are analyzed again after.
async Task AddSeriesAsync()
{
    await using (var db = new OrganizerDbContext(dbOptions))
    {
        await new SeriesWriter(db, series, seed, Console.Out).WriteAsync(CancellationToken.None);
    }

    await using var analyzeConnection = new NpgsqlConnection(connectionString);
    await analyzeConnection.OpenAsync();
    await using var analyze = new NpgsqlCommand("VACUUM (ANALYZE) events, event_participations, occurrence_overrides", analyzeConnection);
    await analyze.ExecuteNonQueryAsync();
}
