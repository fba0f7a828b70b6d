using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Application.Events.Series;
using Organizer.Domain.Events;

namespace Organizer.Api.IntegrationTests;

/// <summary>
/// The summary's counts are kept by database triggers, not counted per request (the KeptOrganizationSummaries
/// migration). After a random mix of every kind of write the API (and an admin at the SQL prompt) can make, the kept
/// tables must equal a recount from scratch, and the summary must say what counting the events themselves says. Series
/// are among the events: the kept tables leave them out (SeriesInTheRecord migration), and the summary counts their
/// occurrences that have begun and were not cancelled, which counting from scratch expands here.
/// Set ORGANIZER_RECOUNT_SEED to replay a failing run.
/// </summary>
public sealed class KeptSummaryTests(AnonymousSubmissionsApiFactory factory) : IClassFixture<AnonymousSubmissionsApiFactory>
{
    private const string Admin = ApiFactory.AdminToken;
    private static readonly string[] Roles = ["co-organizer", "participant", "endorser"];
    private static readonly string[] Kinds = ["rally", "picket", "march", "vigil", "teach-in", "demonstration"];
    private static readonly string[] Visibilities = ["public", "public", "public", "private", "unlisted"];

    private readonly HttpClient client = factory.CreateClient();

    /// <summary>What the test believes about an event it made, to send valid changes.</summary>
    private sealed class Tracked
    {
        public required string Slug { get; init; }
        public required string Host { get; set; }
        public List<string> Others { get; set; } = [];
        public bool Pending { get; set; }
        public bool Series { get; init; }
    }

    [Fact]
    public async Task AfterRandomWrites_KeptCountsEqualARecount_AndSummariesEqualCountingFromScratch()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("ORGANIZER_RECOUNT_SEED"), CultureInfo.InvariantCulture, out var s)
            ? s
            : Random.Shared.Next();
        try
        {
            await RunAsync(seed);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Failed with ORGANIZER_RECOUNT_SEED={seed}: {e.Message}", e);
        }
    }

    private async Task RunAsync(int seed)
    {
        var random = new Random(seed);
        var ct = TestContext.Current.CancellationToken;
        List<string> pool;
        await using (var scope = factory.CreateScope(out var db))
        {
            // A small pool, so that organizations meet often: shared events, ties between partners, years and kinds that
            // rise and fall to zero.
            pool = (await db.Organizations.Select(o => o.Slug).OrderBy(x => x).ToListAsync(ct)).OrderBy(_ => random.Next()).Take(7).ToList();
        }

        var events = new List<Tracked>();
        var statements = new List<string>();
        string Pick(IReadOnlyList<string> list) => list[random.Next(list.Count)];
        List<string> Others(string host) => pool.Where(o => o != host && random.Next(3) == 0).ToList();
        JsonArray Listed(IEnumerable<string> others) => [.. others.Select(o => new JsonObject { ["slug"] = o, ["role"] = Pick(Roles) })];
        string Day() => new DateOnly(2016 + random.Next(12), 1 + random.Next(12), 1 + random.Next(28)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Tracked? Existing(Func<Tracked, bool>? where = null) => events.Where(where ?? (_ => true)).OrderBy(_ => random.Next()).FirstOrDefault();

        JsonObject Body(string host, List<string> others, bool series = false)
        {
            var day = Day();
            var body = WriteClient.EventBody($"Kept summary check {random.Next():x}", $"{day}T18:00:00", $"{day}T20:00:00");
            body["kind"] = Pick(Kinds);
            body["visibility"] = Pick(Visibilities);
            body["host"] = host;
            body["organizations"] = Listed(others);
            if (series)
            {
                // Mostly bounded; some never end, and count their occurrences up to today.
                var recurrence = new JsonObject { ["frequency"] = Pick(["daily", "weekly", "weekly", "monthly"]), ["interval"] = 1 + random.Next(3) };
                switch (random.Next(3))
                {
                    case 0: recurrence["count"] = 1 + random.Next(40); break;
                    case 1: recurrence["until"] = DateOnly.Parse(day, CultureInfo.InvariantCulture).AddDays(random.Next(1, 900)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture); break;
                    default: if ((string)recurrence["frequency"]! == "daily") { recurrence["count"] = 300; } break;
                }

                body["recurrence"] = recurrence;
            }

            return body;
        }

        async Task<JsonNode> Send(HttpMethod method, string url, JsonNode? body, string? token, HttpStatusCode expected, string contentType = "application/json")
        {
            using var response = await client.SendJsonAsync(method, url, body, token, contentType);
            return await response.ExpectAsync(expected);
        }

        async Task Create(bool anonymous, bool series = false)
        {
            var host = Pick(pool);
            var others = Others(host);
            var created = await Send(HttpMethod.Post, "/api/events", Body(host, others, series), anonymous ? null : Admin, HttpStatusCode.Created);
            events.Add(new Tracked { Slug = (string)created["slug"]!, Host = host, Others = others, Pending = anonymous, Series = series });
        }

        for (var i = 0; i < 30; i++)
        {
            await Create(anonymous: random.Next(4) == 0);
        }

        for (var i = 0; i < 6; i++)
        {
            await Create(anonymous: false, series: true);
        }

        for (var step = 0; step < 220; step++)
        {
            switch (random.Next(18))
            {
                case 0 or 1:
                    await Create(anonymous: random.Next(4) == 0);
                    break;

                case 2 when Existing() is { } e:
                    // Another visibility: public, private or unlisted.
                    await Send(HttpMethod.Patch, $"/api/events/{e.Slug}", new JsonObject { ["visibility"] = Pick(Visibilities) }, Admin, HttpStatusCode.OK, MergePatch.ContentType);
                    break;

                case 3 when Existing(x => !x.Series) is { } e:
                    // Another day (often another year) and kind.
                    var day = Day();
                    await Send(HttpMethod.Patch, $"/api/events/{e.Slug}",
                        new JsonObject { ["start"] = $"{day}T10:00:00", ["end"] = $"{day}T11:00:00", ["kind"] = Pick(Kinds) }, Admin, HttpStatusCode.OK, MergePatch.ContentType);
                    break;

                case 4 when Existing() is { } e:
                    // Organizations added, taken off and kept, in one PATCH.
                    e.Others = Others(e.Host);
                    await Send(HttpMethod.Patch, $"/api/events/{e.Slug}", new JsonObject { ["organizations"] = Listed(e.Others) }, Admin, HttpStatusCode.OK, MergePatch.ContentType);
                    break;

                case 5 when Existing() is { } e:
                    // Another host: the admin hands the event over (the old host may stay on as another role).
                    e.Host = Pick(pool);
                    e.Others = Others(e.Host);
                    await Send(HttpMethod.Patch, $"/api/events/{e.Slug}",
                        new JsonObject { ["host"] = e.Host, ["organizations"] = Listed(e.Others) }, Admin, HttpStatusCode.OK, MergePatch.ContentType);
                    break;

                case 6 when Existing(x => !x.Series) is { } e:
                    // PUT: everything replaced, host included.
                    e.Host = Pick(pool);
                    e.Others = Others(e.Host);
                    await Send(HttpMethod.Put, $"/api/events/{e.Slug}", Body(e.Host, e.Others), Admin, HttpStatusCode.OK);
                    break;

                case 7 when Existing(x => !x.Pending) is { } e:
                    if (random.Next(2) == 0)
                    {
                        await Send(HttpMethod.Post, $"/api/events/{e.Slug}/cancel", new JsonObject { ["reason"] = "Called off." }, Admin, HttpStatusCode.OK);
                    }
                    else
                    {
                        await Send(HttpMethod.Post, $"/api/events/{e.Slug}/postpone", null, Admin, HttpStatusCode.OK);
                    }

                    break;

                case 8 when Existing(x => x.Pending) is { } e:
                    if (random.Next(3) > 0)
                    {
                        await Send(HttpMethod.Post, $"/api/events/{e.Slug}/approve", null, Admin, HttpStatusCode.OK);
                        e.Pending = false;
                    }
                    else
                    {
                        await Send(HttpMethod.Post, $"/api/events/{e.Slug}/reject", null, Admin, HttpStatusCode.NoContent);
                        events.Remove(e);
                    }

                    break;

                case 9 when Existing(x => x.Others.Count > 0) is { } e:
                    // The organization takes its own name off.
                    var leaving = Pick(e.Others);
                    await Send(HttpMethod.Delete, $"/api/events/{e.Slug}/organizations/{leaving}", null, await client.TokenForAsync(leaving), HttpStatusCode.NoContent);
                    e.Others.Remove(leaving);
                    break;

                case 10 when Existing() is { } e:
                    await Send(HttpMethod.Delete, $"/api/events/{e.Slug}", null, Admin, HttpStatusCode.NoContent);
                    events.Remove(e);
                    break;

                case 11 or 12:
                    var statement = await Send(HttpMethod.Post, $"/api/organizations/{Pick(pool)}/statements",
                        new JsonObject { ["title"] = $"On the kept summary {random.Next():x}", ["issuedOn"] = Day(), ["text"] = "We count." }, Admin, HttpStatusCode.Created);
                    statements.Add((string)statement["slug"]!);
                    break;

                case 13 when statements.Count > 0:
                    await ChangeStatementAsync(Pick(statements), random, pool, statements, ct);
                    break;

                case 14 when Existing(x => x.Others.Count > 0) is { } e && Existing(x => x != e) is { } target:
                    // An admin at the SQL prompt moves a participation to another event, or to another organization.
                    var moving = Pick(e.Others);
                    await using (var scope = factory.CreateScope(out var db))
                    {
                        var ids = await db.Organizations.Where(o => pool.Contains(o.Slug)).ToDictionaryAsync(o => o.Slug, o => o.Id, ct);
                        var eventIds = await db.Events.Where(x => x.Slug == e.Slug || x.Slug == target.Slug).ToDictionaryAsync(x => x.Slug, x => x.Id, ct);
                        if (target.Host != moving && !target.Others.Contains(moving))
                        {
                            await db.Database.ExecuteSqlAsync(
                                $"UPDATE event_participations SET event_id = {eventIds[target.Slug]} WHERE event_id = {eventIds[e.Slug]} AND organization_id = {ids[moving]}", ct);
                            target.Others.Add(moving);
                        }
                        else if (pool.FirstOrDefault(o => o != e.Host && !e.Others.Contains(o)) is { } replacement)
                        {
                            await db.Database.ExecuteSqlAsync(
                                $"UPDATE event_participations SET organization_id = {ids[replacement]} WHERE event_id = {eventIds[e.Slug]} AND organization_id = {ids[moving]}", ct);
                            e.Others.Add(replacement);
                        }
                        else
                        {
                            break;
                        }
                    }

                    e.Others.Remove(moving);
                    break;

                case 15:
                    await Create(anonymous: false, series: true);
                    break;

                case 16 when Existing(x => x.Series) is { } e:
                    await ChangeOccurrenceAsync(e.Slug, random, ct);
                    break;

                default:
                    await Create(anonymous: false);
                    break;
            }
        }

        await AssertKeptEqualsRecountAsync(ct);
        foreach (var organization in pool)
        {
            var expected = await FromScratchAsync(organization, ct);
            var actual = await client.GetJsonAsync($"/api/organizations/{organization}/summary");
            Assert.True(JsonNode.DeepEquals(expected, actual), $"Summary of {organization}:\nexpected {expected.ToJsonString()}\nactual   {actual.ToJsonString()}");
        }
    }

    /// <summary>One of a series' first occurrences cancelled, retitled or removed, as the occurrence endpoints would store it.</summary>
    private async Task ChangeOccurrenceAsync(string slug, Random random, CancellationToken ct)
    {
        await using var scope = factory.CreateScope(out var db);
        var series = await db.Events.Include(x => x.Overrides).SingleAsync(x => x.Slug == slug, ct);
        var dates = SeriesExpansion.From(series, null, new ExpansionBudget(20)).Select(o => o.Date).ToList();
        if (dates.Count == 0)
        {
            // Every date it had was removed: a series of one, or a few, can lose them all.
            return;
        }

        var date = dates[random.Next(dates.Count)];
        if (series.Overrides.Any(o => o.Occurrence == date) || series.ExceptDates.Contains(date))
        {
            return;
        }

        switch (random.Next(3))
        {
            case 0:
                series.ExceptDates = [.. series.ExceptDates, date];
                break;
            default:
                series.Overrides.Add(new OccurrenceOverride
                {
                    EventId = series.Id,
                    Occurrence = date,
                    Status = random.Next(2) == 0 ? EventStatus.Cancelled : null,
                    Title = "Changed occurrence",
                    Sequence = series.Sequence + 1,
                    CreatedAt = DateTimeOffset.UtcNow,
                    UpdatedAt = DateTimeOffset.UtcNow,
                });
                break;
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>What no API does yet, an admin may do in SQL: move a statement's date, add or drop a co-issuer, delete it.</summary>
    private async Task ChangeStatementAsync(string slug, Random random, List<string> pool, List<string> statements, CancellationToken ct)
    {
        await using var scope = factory.CreateScope(out var db);
        var statement = await db.Statements.Include(x => x.Issuers).SingleAsync(x => x.Slug == slug, ct);
        switch (random.Next(4))
        {
            case 0:
                statement.IssuedOn = statement.IssuedOn.AddDays(random.Next(-800, 800));
                break;
            case 1:
                var ids = await db.Organizations.Where(o => pool.Contains(o.Slug)).Select(o => o.Id).ToListAsync(ct);
                if (ids.FirstOrDefault(id => statement.Issuers.All(i => i.OrganizationId != id)) is var id && id != Guid.Empty)
                {
                    statement.Issuers.Add(new() { StatementId = statement.Id, OrganizationId = id, Ordinal = statement.Issuers.Count });
                }

                break;
            case 2 when statement.Issuers.Count > 1:
                statement.Issuers.RemoveAt(statement.Issuers.Count - 1);
                break;
            default:
                db.Statements.Remove(statement);
                statements.Remove(slug);
                break;
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>Every row the triggers kept, against the migration's recount from scratch; zero rows kept count as absent.</summary>
    private async Task AssertKeptEqualsRecountAsync(CancellationToken ct)
    {
        string[] checks =
        [
            """
            SELECT 'event count ' || coalesce(k.organization_id, r.organization_id) || ' ' || coalesce(k.year, r.year) || ' ' || coalesce(k.kind, r.kind)
                   || ': kept ' || coalesce(k.events, 0) || ', recounted ' || coalesce(r.events, 0)
            FROM (SELECT * FROM organization_event_counts WHERE events <> 0) k
            FULL JOIN organizer_recount_event_counts() r USING (organization_id, year, kind)
            WHERE k.events IS DISTINCT FROM r.events
            """,
            """
            SELECT 'statement count ' || coalesce(k.organization_id, r.organization_id) || ' ' || coalesce(k.year, r.year)
                   || ': kept ' || coalesce(k.statements, 0) || ', recounted ' || coalesce(r.statements, 0)
            FROM (SELECT * FROM organization_statement_counts WHERE statements <> 0) k
            FULL JOIN organizer_recount_statement_counts() r USING (organization_id, year)
            WHERE k.statements IS DISTINCT FROM r.statements
            """,
            """
            SELECT 'partners ' || coalesce(k.organization_id, r.organization_id) || ' ' || coalesce(k.partner_id, r.partner_id)
                   || ': kept ' || coalesce(k.shared_events, 0) || ', recounted ' || coalesce(r.shared_events, 0)
            FROM (SELECT * FROM organization_partners WHERE shared_events <> 0) k
            FULL JOIN organizer_recount_partners() r USING (organization_id, partner_id)
            WHERE k.shared_events IS DISTINCT FROM r.shared_events
            """,
        ];
        await using var scope = factory.CreateScope(out var db);
        var differences = new List<string>();
        foreach (var sql in checks)
        {
            differences.AddRange(await db.Database.SqlQueryRaw<string>(sql).ToListAsync(ct));
        }

        // The test must have something to compare: counts that the writes above made.
        Assert.True(await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM organization_partners WHERE shared_events > 0").SingleAsync(ct) > 0);
        Assert.True(differences.Count == 0, "Kept summaries differ from a recount:\n" + string.Join("\n", differences.Take(30)));
    }

    /// <summary>The summary as GET /api/organizations/{slug}/summary answered it before the counts were kept: counted from the events.</summary>
    private async Task<JsonNode> FromScratchAsync(string slug, CancellationToken ct)
    {
        await using var scope = factory.CreateScope(out var db);
        var organization = await db.Organizations.AsNoTracking().SingleAsync(o => o.Slug == slug, ct);
        var listed = await db.Events.AsNoTracking().AsSplitQuery()
            .Include(e => e.Overrides)
            .Include(e => e.Participations)
            .Where(e => e.Visibility == Visibility.Public && e.Status != EventStatus.Pending && e.Participations.Any(p => p.OrganizationId == organization.Id))
            .ToListAsync(ct);

        // A single event is one action; a series is each of its occurrences that has begun and was not cancelled.
        var now = DateTimeOffset.UtcNow;
        var events = listed
            .SelectMany(e => e.Recurrence is null
                ? [new { e.Id, e.Slug, e.Title, e.Kind, e.Schedule.StartDate, e.Schedule.SortAt, Occurrence = (DateOnly?)null, Organizations = e.Participations.Select(p => p.OrganizationId).ToList() }]
                : SeriesExpansion.From(e, null, new ExpansionBudget(100_000))
                    .TakeWhile(o => o.Schedule.SortAt < now)
                    .Where(o => o.Status is not (EventStatus.Cancelled or EventStatus.Pending))
                    .Select(o => new { e.Id, e.Slug, o.Title, e.Kind, o.Schedule.StartDate, o.Schedule.SortAt, Occurrence = (DateOnly?)o.Date, Organizations = e.Participations.Select(p => p.OrganizationId).ToList() }))
            .ToList();
        var statements = await db.Statements.AsNoTracking()
            .Where(s => s.Issuers.Any(i => i.OrganizationId == organization.Id))
            .Select(s => new { s.Id, s.Slug, s.Title, s.IssuedOn })
            .ToListAsync(ct);
        var names = await db.Organizations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => (o.Slug, o.Name), ct);

        var years = events.Select(e => e.StartDate.Year).Concat(statements.Select(s => s.IssuedOn.Year)).Distinct().Order()
            .Select(y => new JsonObject
            {
                ["year"] = y,
                ["events"] = events.Count(e => e.StartDate.Year == y),
                ["statements"] = statements.Count(s => s.IssuedOn.Year == y),
            });
        var kinds = events.GroupBy(e => e.Kind).OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
            .Select(g => new JsonObject { ["kind"] = g.Key.ToKebab(), ["count"] = g.Count() });
        var partners = events.SelectMany(e => e.Organizations.Where(o => o != organization.Id).Distinct())
            .GroupBy(o => o)
            .Select(g => (names[g.Key].Slug, names[g.Key].Name, Shared: g.Count()))
            .OrderByDescending(p => p.Shared).ThenBy(p => p.Slug, StringComparer.Ordinal)
            .Take(10)
            .Select(p => new JsonObject { ["slug"] = p.Slug, ["name"] = p.Name, ["sharedEvents"] = p.Shared });

        // The timeline's order: an event's instant, then its id (then an occurrence's date); a statement's date, then its id.
        var orderedEvents = events.OrderBy(e => e.SortAt).ThenBy(e => e.Id).ThenBy(e => e.Occurrence).ToList();
        var orderedStatements = statements.OrderBy(s => s.IssuedOn).ThenBy(s => s.Id).ToList();
        static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        static JsonObject Ref(string type, string slug, string title, DateOnly date, DateOnly? occurrence = null) =>
            new() { ["type"] = type, ["slug"] = slug, ["title"] = title, ["date"] = Day(date), ["occurrence"] = occurrence is { } o ? Day(o) : null };
        var firstEvent = orderedEvents.FirstOrDefault() is { } fe ? Ref("event", fe.Slug, fe.Title, fe.StartDate, fe.Occurrence) : null;
        var lastEvent = orderedEvents.LastOrDefault() is { } le ? Ref("event", le.Slug, le.Title, le.StartDate, le.Occurrence) : null;
        var firstStatement = orderedStatements.FirstOrDefault() is { } fs ? Ref("statement", fs.Slug, fs.Title, fs.IssuedOn) : null;
        var lastStatement = orderedStatements.LastOrDefault() is { } ls ? Ref("statement", ls.Slug, ls.Title, ls.IssuedOn) : null;

        // At one date, the event comes first and the statement last.
        static string Date(JsonObject o) => (string)o["date"]!;
        var first = firstEvent is null || firstStatement is null ? firstEvent ?? firstStatement
            : string.CompareOrdinal(Date(firstEvent), Date(firstStatement)) <= 0 ? firstEvent : firstStatement;
        var last = lastEvent is null || lastStatement is null ? lastEvent ?? lastStatement
            : string.CompareOrdinal(Date(lastEvent), Date(lastStatement)) > 0 ? lastEvent : lastStatement;

        return new JsonObject
        {
            ["organization"] = slug,
            ["events"] = events.Count,
            ["statements"] = statements.Count,
            ["byYear"] = new JsonArray([.. years]),
            ["byKind"] = new JsonArray([.. kinds]),
            ["first"] = first,
            ["last"] = last,
            ["actsMostOftenWith"] = new JsonArray([.. partners]),
        };
    }
}
