using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Organizer.Application.Common;
using Organizer.Domain.Common;
using Organizer.Domain.Events;

namespace Organizer.DataGenerator;

/// <summary>What to generate. The same options always generate the same rows.</summary>
internal sealed record GeneratorOptions(int Events, int Organizations, int Seed);

/// <summary>
/// Generates a realistic data set and streams it into the tables the migrations create with binary COPY, table by
/// table in foreign-key order, inside one transaction. Column names and types follow migrations/Migrations.
/// </summary>
internal sealed class DataSetWriter(NpgsqlConnection connection, GeneratorOptions options, TextWriter log)
{
    /// <summary>The generated world's "now": creation and update times never pass it, so runs are reproducible.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly FirstDay = new(2015, 1, 1);
    private static readonly DateOnly LastDay = new(2027, 12, 31);

    private static readonly (EventKind Kind, int Weight)[] KindWeights =
    [
        (EventKind.Rally, 28), (EventKind.Picket, 14), (EventKind.March, 11), (EventKind.Demonstration, 12), (EventKind.Vigil, 5),
        (EventKind.TeachIn, 5), (EventKind.Panel, 6), (EventKind.Workshop, 4), (EventKind.Blockade, 2), (EventKind.OnlineAction, 4),
        (EventKind.Other, 4), (EventKind.Assembly, 3), (EventKind.Conference, 2),
    ];

    private static readonly EventKind[] SessionKinds = [EventKind.Panel, EventKind.Panel, EventKind.Workshop, EventKind.TeachIn, EventKind.Other];

    private readonly Random random = new(options.Seed);
    private readonly HashSet<string> slugs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Rows, TimeSpan Time)> counts = [];

    private string[] documents = [];
    private Guid[] organizationIds = [];
    private string[] organizationNames = [];
    private int[] organizationCities = [];
    private double[] organizationWeights = [];
    private Guid[] placeIds = [];
    private int[][] placesByCity = [];
    private Guid[] eventIds = [];
    private double[] cityWeights = [];

    private readonly List<(int Event, int Organization, ParticipationRole Role)> participations = [];
    private readonly List<(int Event, int Ordinal, string Name, string? Role, int Organization, DateTimeOffset CreatedAt)> speakers = [];
    private readonly List<(int Event, int Count, DateTimeOffset CreatedAt)> resolutionSets = [];

    public IReadOnlyDictionary<string, (long Rows, TimeSpan Time)> Counts => counts;

    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        cityWeights = Cumulative(Catalog.Cities.Select(c => (double)c.Weight));
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The summary triggers (KeptOrganizationSummaries migration) would count each COPY's rows against what is
        // already there; one set-based recount at the end is faster. Switched off inside this transaction only.
        await ExecuteAsync("SELECT organizer_summary_triggers(false)", cancellationToken);
        await CopyAsync("source_documents", "id, document, title, publication, author, published_on, url, note, created_at, updated_at", WriteSourceDocuments, cancellationToken);
        await CopyAsync("organizations", "id, slug, name, kind, home_city, home_country_code, website, description, created_at, updated_at, citations", WriteOrganizations, cancellationToken);
        await CopyAsync("organization_aliases", "id, organization_id, name, slug, created_at, updated_at", WriteAliases, cancellationToken);
        await CopyAsync("places", "id, slug, name, address, city, region, country_code, latitude, longitude, time_zone, note, created_at, updated_at, citations", WritePlaces, cancellationToken);
        await CopyAsync(
            "events",
            "id, slug, title, kind, status, visibility, date_note, parent_id, place_id, online_url, tags, demands, description, notes, sequence, " +
            "attendance_estimate, attendance_reported, all_day, end_date, ends_at, date_precision, sort_at, start_date, starts_at, time_zone, created_at, updated_at, citations",
            WriteEvents,
            cancellationToken);
        await CopyAsync("event_participations", "event_id, organization_id, role", WriteParticipations, cancellationToken);
        await CopyAsync("event_speakers", "id, event_id, ordinal, name, affiliation, role, organization_id, created_at, updated_at", WriteSpeakers, cancellationToken);
        await CopyAsync("resolutions", "id, event_id, ordinal, title, text, outcome, created_at, updated_at, citations", WriteResolutions, cancellationToken);
        var issuers = new List<(Guid Statement, int Organization, int Ordinal)>();
        await CopyAsync(
            "statements",
            "id, slug, title, issued_on, date_precision, date_note, spokesperson, summary, text, read_at_event_id, created_at, updated_at, citations",
            w => WriteStatements(w, issuers),
            cancellationToken);
        await CopyAsync("statement_issuers", "statement_id, organization_id, ordinal", w =>
        {
            foreach (var (statement, organization, ordinal) in issuers)
            {
                w.StartRow();
                w.Write(statement, NpgsqlDbType.Uuid);
                w.Write(organizationIds[organization], NpgsqlDbType.Uuid);
                w.Write(ordinal, NpgsqlDbType.Integer);
            }

            return issuers.Count;
        }, cancellationToken);

        var stopwatch = Stopwatch.StartNew();
        await ExecuteAsync("SELECT organizer_rebuild_summaries()", cancellationToken);
        await ExecuteAsync("SELECT organizer_summary_triggers(true)", cancellationToken);
        log.WriteLine($"  {"organization summaries",-22} {"recounted",10}       {stopwatch.Elapsed.TotalSeconds,7:F1} s");

        stopwatch.Restart();
        await using (var watermark = new NpgsqlCommand(
            "INSERT INTO feed_watermarks (id, changed_at) VALUES (1, @now) ON CONFLICT (id) DO UPDATE SET changed_at = excluded.changed_at", connection, transaction))
        {
            watermark.Parameters.AddWithValue("now", Now);
            await watermark.ExecuteNonQueryAsync(cancellationToken);
        }

        counts["feed_watermarks"] = (1, stopwatch.Elapsed);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task CopyAsync(string table, string columns, Func<NpgsqlBinaryImporter, long> write, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        long rows;
        await using (var importer = await connection.BeginBinaryImportAsync($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            rows = write(importer);
            await importer.CompleteAsync(cancellationToken);
        }

        counts[table] = (rows, stopwatch.Elapsed);
        log.WriteLine($"  {table,-22} {rows,10:N0} rows  {stopwatch.Elapsed.TotalSeconds,7:F1} s");
    }

    private long WriteSourceDocuments(NpgsqlBinaryImporter w)
    {
        documents = new string[Math.Clamp(options.Events / 100, 20, 10_000)];
        for (var i = 0; i < documents.Length; i++)
        {
            var publication = Pick(Catalog.Publications);
            var published = RandomDay(FirstDay, LastDay.AddYears(-1));
            documents[i] = $"{Slugs.From(publication)}-{published:yyyy-MM-dd}-{i + 1}.md";
            var created = Clamp(published.ToDateTime(TimeOnly.MinValue).AddDays(random.Next(1, 30)));
            w.StartRow();
            w.Write(NewId(created), NpgsqlDbType.Uuid);
            w.Write(documents[i], NpgsqlDbType.Text);
            w.Write($"{Pick(["Call to action", "Report", "Communiqué", "Interview", "Newsletter"])}: {Pick(Catalog.Causes)}", NpgsqlDbType.Text);
            w.Write(publication, NpgsqlDbType.Text);
            Text(w, random.Next(3) == 0 ? null : $"{Pick(Catalog.FirstNames)} {Pick(Catalog.Surnames)}");
            w.Write(published, NpgsqlDbType.Date);
            w.Write($"https://news.example.org/{published:yyyy/MM}/{Slugs.From(publication)}-{i + 1}", NpgsqlDbType.Text);
            w.WriteNull();
            w.Write(created, NpgsqlDbType.TimestampTz);
            w.Write(created, NpgsqlDbType.TimestampTz);
        }

        return documents.Length;
    }

    private long WriteOrganizations(NpgsqlBinaryImporter w)
    {
        var count = options.Organizations;
        organizationIds = new Guid[count];
        organizationNames = new string[count];
        organizationCities = new int[count];

        // Zipf-like popularity (1/(rank+2)), with ranks shuffled so that big and small organizations are interleaved.
        var ranks = Enumerable.Range(0, count).ToArray();
        random.Shuffle(ranks);
        organizationWeights = Cumulative(ranks.Select(r => 1.0 / (r + 2)));

        for (var i = 0; i < count; i++)
        {
            var city = PickCity();
            var (kind, name, slug) = OrganizationName(city);
            organizationCities[i] = city;
            organizationNames[i] = name;
            var created = Clamp(RandomDay(FirstDay.AddYears(-1), FirstDay.AddYears(8)).ToDateTime(new TimeOnly(random.Next(24), random.Next(60))));
            organizationIds[i] = NewId(created);
            w.StartRow();
            w.Write(organizationIds[i], NpgsqlDbType.Uuid);
            w.Write(slug, NpgsqlDbType.Text);
            w.Write(name, NpgsqlDbType.Text);
            w.Write(kind, NpgsqlDbType.Text);
            w.Write(Catalog.Cities[city].Name, NpgsqlDbType.Text);
            w.Write(Catalog.Cities[city].CountryCode, NpgsqlDbType.Char);
            Text(w, random.Next(3) == 0 ? null : $"https://{slug}.example.org");
            Text(w, random.Next(4) == 0 ? null : Paragraph(120, 400));
            w.Write(created, NpgsqlDbType.TimestampTz);
            w.Write(Later(created, Clamp(created.AddDays(random.Next(0, 400)))), NpgsqlDbType.TimestampTz);
            Citations(w, random.Next(2));
        }

        return count;
    }

    private long WriteAliases(NpgsqlBinaryImporter w)
    {
        long rows = 0;
        for (var i = 0; i < organizationIds.Length; i++)
        {
            if (random.Next(100) >= 5)
            {
                continue;
            }

            // Documents name one body two ways: an acronym, or the name with its city.
            var acronym = new string(organizationNames[i].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Where(word => char.IsUpper(word[0])).Select(word => word[0]).ToArray());
            var alias = acronym.Length >= 3 && random.Next(2) == 0 ? acronym : $"{organizationNames[i]} ({Catalog.Cities[organizationCities[i]].Name})";
            var slug = Slugs.From(alias);
            if (slug.Length == 0 || !slugs.Add("organization:" + slug))
            {
                continue;
            }

            w.StartRow();
            w.Write(NewId(Now.AddYears(-1)), NpgsqlDbType.Uuid);
            w.Write(organizationIds[i], NpgsqlDbType.Uuid);
            w.Write(alias, NpgsqlDbType.Text);
            w.Write(slug, NpgsqlDbType.Text);
            w.Write(Now.AddYears(-1), NpgsqlDbType.TimestampTz);
            w.Write(Now.AddYears(-1), NpgsqlDbType.TimestampTz);
            rows++;
        }

        return rows;
    }

    private long WritePlaces(NpgsqlBinaryImporter w)
    {
        var cities = Catalog.Cities;
        var total = Math.Clamp(options.Events / 25, cities.Length * 2, 40_000);
        var totalWeight = cities.Sum(c => c.Weight);
        var byCity = cities.Select(_ => new List<int>()).ToArray();
        var ids = new List<Guid>(total);

        for (var city = 0; city < cities.Length; city++)
        {
            var c = cities[city];
            var share = Math.Max(2, (int)Math.Round((double)total * c.Weight / totalWeight));
            for (var k = 0; k < share; k++)
            {
                // Every landmark once, then venues made from the city's streets and people's names, each one place.
                var name = k < c.Landmarks.Length ? c.Landmarks[k] : Venue(c);
                for (var attempt = 0; attempt < 10 && slugs.Contains("place:" + Slugs.From($"{name} {c.Name}")); attempt++)
                {
                    name = Venue(c);
                }

                var slug = UniqueSlug("place", $"{name} {c.Name}");
                var created = Clamp(RandomDay(FirstDay, FirstDay.AddYears(10)).ToDateTime(new TimeOnly(random.Next(24), 0)));
                var id = NewId(created);
                byCity[city].Add(ids.Count);
                ids.Add(id);

                w.StartRow();
                w.Write(id, NpgsqlDbType.Uuid);
                w.Write(slug, NpgsqlDbType.Text);
                w.Write(name, NpgsqlDbType.Text);
                w.Write($"{random.Next(1, 2500)} {Pick(c.Streets)}", NpgsqlDbType.Text);
                w.Write(c.Name, NpgsqlDbType.Text);
                Text(w, c.Region);
                w.Write(c.CountryCode, NpgsqlDbType.Char);
                w.Write(Math.Round(c.Latitude + ((random.NextDouble() - 0.5) / 12), 6), NpgsqlDbType.Double);
                w.Write(Math.Round(c.Longitude + ((random.NextDouble() - 0.5) / 12), 6), NpgsqlDbType.Double);
                w.Write(c.TimeZone, NpgsqlDbType.Text);
                Text(w, random.Next(10) == 0 ? "Meet at the main entrance; the square is wheelchair accessible." : null);
                w.Write(created, NpgsqlDbType.TimestampTz);
                w.Write(created, NpgsqlDbType.TimestampTz);
                Citations(w, random.Next(3) == 0 ? 1 : 0);
            }
        }

        placeIds = [.. ids];
        placesByCity = byCity.Select(l => l.ToArray()).ToArray();
        return placeIds.Length;
    }

    private long WriteEvents(NpgsqlBinaryImporter w)
    {
        var total = options.Events;
        eventIds = new Guid[total];
        var kindTotal = KindWeights.Sum(k => k.Weight);
        var index = 0;
        while (index < total)
        {
            var kind = PickKind(kindTotal);
            var host = PickOrganization();

            // Most of what a group does happens in its home city.
            var city = random.Next(10) < 7 ? organizationCities[host] : PickCity();
            var place = kind == EventKind.OnlineAction ? -1 : Pick(placesByCity[city]);
            var day = RandomDay(FirstDay, LastDay, skewRecent: true);

            if (kind is EventKind.Assembly or EventKind.Conference)
            {
                var lastDay = day.AddDays(random.Next(0, 4));
                var assembly = index;
                var schedule = EventSchedule.AllDayRange(day, lastDay, Catalog.Cities[city].TimeZone);
                WriteEvent(w, index++, kind, AssemblyTitle(kind, city), schedule, null, city, place, host);
                if (random.Next(10) < 6)
                {
                    resolutionSets.Add((assembly, random.Next(1, 7), Clamp(lastDay.ToDateTime(new TimeOnly(18, 0)))));
                }

                // Its panels and workshops: timed sessions on its days, at its place.
                for (var s = random.Next(2, 7); s > 0 && index < total; s--)
                {
                    var sessionDay = day.AddDays(random.Next(0, lastDay.DayNumber - day.DayNumber + 1));
                    var start = sessionDay.ToDateTime(new TimeOnly(random.Next(9, 18), 15 * random.Next(4)));
                    var sessionKind = Pick(SessionKinds);
                    WriteEvent(w, index++, sessionKind, SessionTitle(sessionKind), Timed(start, start.AddMinutes(30 * random.Next(2, 6)), city),
                        eventIds[assembly], city, place, host);
                }

                continue;
            }

            WriteEvent(w, index++, kind, Title(kind), Schedule(kind, day, city), null, city, place, host);
        }

        return total;
    }

    private void WriteEvent(NpgsqlBinaryImporter w, int index, EventKind kind, string title, EventSchedule schedule, Guid? parent, int city, int place, int host)
    {
        var c = Catalog.Cities[city];
        var created = Clamp(schedule.StartDate.ToDateTime(new TimeOnly(random.Next(24), random.Next(60))).AddDays(-random.Next(1, 90)));
        var updated = random.Next(3) == 0 ? Later(created, Clamp(created.AddDays(random.Next(0, 60)).AddMinutes(random.Next(1440)))) : created;
        var id = NewId(created);
        eventIds[index] = id;

        var slug = UniqueSlug("event", $"{schedule.StartDate:yyyy-MM-dd} {(place < 0 ? "online" : c.Name)} {title}");
        var status = random.Next(100) switch
        {
            < 90 => EventStatus.Scheduled,
            < 95 => EventStatus.Cancelled,
            < 98 => EventStatus.Postponed,
            _ => EventStatus.Pending,
        };
        var visibility = random.Next(100) switch
        {
            < 96 => Visibility.Public,
            < 99 => Visibility.Unlisted,
            _ => Visibility.Private,
        };

        AddParticipations(index, host);
        AddSpeakers(index, kind, created);

        w.StartRow();
        w.Write(id, NpgsqlDbType.Uuid);
        w.Write(slug, NpgsqlDbType.Text);
        w.Write(title, NpgsqlDbType.Text);
        w.Write(kind.ToString(), NpgsqlDbType.Text);
        w.Write(status.ToString(), NpgsqlDbType.Text);
        w.Write(visibility.ToString(), NpgsqlDbType.Text);
        Text(w, schedule.Precision switch
        {
            DatePrecision.Week => "The source says only \"the week of\" this date.",
            DatePrecision.Month => "The newsletter gives the month but not the day.",
            DatePrecision.Year => "Dated from the organization's annual report.",
            _ => null,
        });
        Uuid(w, parent);
        Uuid(w, place < 0 ? null : placeIds[place]);
        Text(w, place < 0 ? $"https://meet.example.org/{slug}" : null);
        w.Write(Distinct(Catalog.Tags, random.Next(1, 5)), NpgsqlDbType.Array | NpgsqlDbType.Text);
        w.Write(Distinct(Catalog.Demands, random.Next(0, 5)), NpgsqlDbType.Array | NpgsqlDbType.Text);
        w.Write($"{title} in {(place < 0 ? "an online space" : c.Name)}. {Paragraph(150, 550)}", NpgsqlDbType.Text);
        w.Write(random.Next(20) == 0 ? ["Date confirmed by phone with the organizers."] : Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        w.Write(random.Next(6) == 0 ? random.Next(1, 4) : 0, NpgsqlDbType.Integer);

        if (random.Next(4) == 0 && kind != EventKind.OnlineAction)
        {
            if (random.Next(3) == 0)
            {
                // Reported wording with no number in it: the estimate stays unknown.
                w.WriteNull();
                w.Write("hundreds, according to the organizers", NpgsqlDbType.Text);
            }
            else
            {
                var estimate = random.Next(2, 200) * 25;
                w.Write(estimate, NpgsqlDbType.Integer);
                w.Write($"about {estimate.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}", NpgsqlDbType.Text);
            }
        }
        else
        {
            w.WriteNull();
            w.WriteNull();
        }

        w.Write(schedule.AllDay, NpgsqlDbType.Boolean);
        w.Write(schedule.EndDate, NpgsqlDbType.Date);
        TimestampTz(w, schedule.EndsAt);
        w.Write(schedule.Precision.ToString(), NpgsqlDbType.Text);
        w.Write(schedule.SortAt, NpgsqlDbType.TimestampTz);
        w.Write(schedule.StartDate, NpgsqlDbType.Date);
        TimestampTz(w, schedule.StartsAt);
        w.Write(schedule.TimeZone, NpgsqlDbType.Text);
        w.Write(created, NpgsqlDbType.TimestampTz);
        w.Write(updated, NpgsqlDbType.TimestampTz);
        Citations(w, random.Next(1, 3));
    }

    private void AddParticipations(int index, int host)
    {
        participations.Add((index, host, ParticipationRole.Host));
        var others = random.Next(100) switch
        {
            < 35 => 0,
            < 65 => 1,
            < 85 => 2,
            _ => 3,
        };
        Span<int> chosen = stackalloc int[4];
        chosen[0] = host;
        var count = 1;
        for (var attempt = 0; count <= others && attempt < 20; attempt++)
        {
            var organization = PickOrganization();
            if (chosen[..count].Contains(organization))
            {
                continue;
            }

            chosen[count++] = organization;
            var role = random.Next(10) switch
            {
                < 5 => ParticipationRole.CoOrganizer,
                < 8 => ParticipationRole.Endorser,
                _ => ParticipationRole.Participant,
            };
            participations.Add((index, organization, role));
        }
    }

    private void AddSpeakers(int index, EventKind kind, DateTimeOffset created)
    {
        if (kind is not (EventKind.Rally or EventKind.Panel or EventKind.TeachIn or EventKind.Assembly or EventKind.Conference or EventKind.Demonstration))
        {
            return;
        }

        var count = random.Next(0, 4);
        for (var ordinal = 1; ordinal <= count; ordinal++)
        {
            var organization = random.Next(3) == 0 ? -1 : PickOrganization();
            speakers.Add((index, ordinal, $"{Pick(Catalog.FirstNames)} {Pick(Catalog.Surnames)}",
                random.Next(3) == 0 ? null : Pick(Catalog.SpeakerRoles), organization, created));
        }
    }

    private long WriteParticipations(NpgsqlBinaryImporter w)
    {
        foreach (var (e, organization, role) in participations)
        {
            w.StartRow();
            w.Write(eventIds[e], NpgsqlDbType.Uuid);
            w.Write(organizationIds[organization], NpgsqlDbType.Uuid);
            w.Write(role.ToString(), NpgsqlDbType.Text);
        }

        return participations.Count;
    }

    private long WriteSpeakers(NpgsqlBinaryImporter w)
    {
        foreach (var (e, ordinal, name, role, organization, created) in speakers)
        {
            w.StartRow();
            w.Write(NewId(created), NpgsqlDbType.Uuid);
            w.Write(eventIds[e], NpgsqlDbType.Uuid);
            w.Write(ordinal, NpgsqlDbType.Integer);
            w.Write(name, NpgsqlDbType.Text);
            Text(w, organization < 0 ? null : organizationNames[organization]);
            Text(w, role);
            Uuid(w, organization < 0 ? null : organizationIds[organization]);
            w.Write(created, NpgsqlDbType.TimestampTz);
            w.Write(created, NpgsqlDbType.TimestampTz);
        }

        return speakers.Count;
    }

    private long WriteResolutions(NpgsqlBinaryImporter w)
    {
        long rows = 0;
        foreach (var (e, count, created) in resolutionSets)
        {
            for (var ordinal = 1; ordinal <= count; ordinal++)
            {
                var title = random.Next(3) switch
                {
                    0 => $"Resolution on {Pick(Catalog.Issues)}",
                    1 => $"Resolution in Support of {Pick(Catalog.Causes)}",
                    _ => $"Emergency Resolution: {Pick(Catalog.Demands)}",
                };
                w.StartRow();
                w.Write(NewId(created), NpgsqlDbType.Uuid);
                w.Write(eventIds[e], NpgsqlDbType.Uuid);
                w.Write(ordinal, NpgsqlDbType.Integer);
                w.Write(title, NpgsqlDbType.Text);
                w.Write($"Whereas {Pick(Catalog.Sentences)} Be it resolved that the assembly commits to: {Pick(Catalog.Demands).ToLowerInvariant()}.", NpgsqlDbType.Text);
                w.Write((random.Next(10) switch { < 8 => ResolutionOutcome.Adopted, < 9 => ResolutionOutcome.Rejected, _ => ResolutionOutcome.Tabled }).ToString(), NpgsqlDbType.Text);
                w.Write(created, NpgsqlDbType.TimestampTz);
                w.Write(created, NpgsqlDbType.TimestampTz);
                Citations(w, 1);
                rows++;
            }
        }

        return rows;
    }

    private long WriteStatements(NpgsqlBinaryImporter w, List<(Guid Statement, int Organization, int Ordinal)> issuers)
    {
        var count = Math.Max(10, options.Events / 8);
        for (var i = 0; i < count; i++)
        {
            var issued = RandomDay(FirstDay, LastDay.AddYears(-1), skewRecent: true);
            var precision = random.Next(10) == 0 ? DatePrecision.Month : DatePrecision.Day;
            if (precision == DatePrecision.Month)
            {
                issued = new DateOnly(issued.Year, issued.Month, 1);
            }

            var title = random.Next(4) switch
            {
                0 => $"Statement on {Pick(Catalog.Issues)}",
                1 => $"Joint Statement: {Pick(Catalog.Demands)}",
                2 => $"Solidarity Message to the People of {Catalog.Cities[PickCity()].Country}",
                _ => $"Open Letter on {Pick(Catalog.Causes)}",
            };
            var created = Clamp(issued.ToDateTime(new TimeOnly(random.Next(8, 20), 0)));
            var id = NewId(created);
            var issuerCount = random.Next(10) < 7 ? 1 : random.Next(2, 4);
            var chosen = new List<int>(issuerCount);
            for (var attempt = 0; chosen.Count < issuerCount && attempt < 20; attempt++)
            {
                var organization = PickOrganization();
                if (!chosen.Contains(organization))
                {
                    chosen.Add(organization);
                    issuers.Add((id, organization, chosen.Count));
                }
            }

            w.StartRow();
            w.Write(id, NpgsqlDbType.Uuid);
            w.Write(UniqueSlug("statement", $"{issued:yyyy-MM-dd} {title}"), NpgsqlDbType.Text);
            w.Write(title, NpgsqlDbType.Text);
            w.Write(issued, NpgsqlDbType.Date);
            w.Write(precision.ToString(), NpgsqlDbType.Text);
            Text(w, precision == DatePrecision.Month ? "Undated in the source; the month is the newsletter's." : null);
            Text(w, random.Next(10) < 6 ? $"{Pick(Catalog.FirstNames)} {Pick(Catalog.Surnames)}" : null);
            w.Write(Paragraph(100, 250), NpgsqlDbType.Text);
            Text(w, random.Next(3) == 0 ? null : Paragraph(500, 1500));
            Uuid(w, random.Next(100) < 15 ? eventIds[random.Next(eventIds.Length)] : null);
            w.Write(created, NpgsqlDbType.TimestampTz);
            w.Write(created, NpgsqlDbType.TimestampTz);
            Citations(w, 1);
        }

        return count;
    }

    private EventSchedule Schedule(EventKind kind, DateOnly day, int city)
    {
        var zone = Catalog.Cities[city].TimeZone;
        var roll = random.Next(100);
        if (kind == EventKind.Blockade && roll < 50)
        {
            return EventSchedule.AllDayRange(day, day.AddDays(random.Next(1, 10)), zone);
        }

        if (roll < 25)
        {
            return random.Next(100) switch
            {
                < 85 => EventSchedule.AllDayRange(day, day, zone),
                < 93 => EventSchedule.AllDayRange(day.AddDays(-(int)day.DayOfWeek), day.AddDays(6 - (int)day.DayOfWeek), zone, DatePrecision.Week),
                < 98 => EventSchedule.AllDayRange(new DateOnly(day.Year, day.Month, 1), new DateOnly(day.Year, day.Month, DateTime.DaysInMonth(day.Year, day.Month)), zone, DatePrecision.Month),
                _ => EventSchedule.AllDayRange(new DateOnly(day.Year, 1, 1), new DateOnly(day.Year, 12, 31), zone, DatePrecision.Year),
            };
        }

        // Pickets start early, evening events late; daytime local times never fall in a DST gap.
        var hour = kind switch
        {
            EventKind.Picket => random.Next(6, 17),
            EventKind.Vigil or EventKind.Panel or EventKind.TeachIn => random.Next(17, 21),
            _ => random.Next(10, 20),
        };
        var start = day.ToDateTime(new TimeOnly(hour, 15 * random.Next(4)));
        return Timed(start, random.Next(10) == 0 ? null : start.AddMinutes(30 * random.Next(2, 9)), city);
    }

    private static EventSchedule Timed(DateTime start, DateTime? end, int city)
    {
        try
        {
            return EventSchedule.Timed(start, end, Catalog.Cities[city].TimeZone);
        }
        catch (DomainRuleException)
        {
            // A clock change at an unusual hour: an hour later always exists.
            return EventSchedule.Timed(start.AddHours(1), end?.AddHours(1), Catalog.Cities[city].TimeZone);
        }
    }

    private string Title(EventKind kind) => kind switch
    {
        EventKind.Rally => random.Next(3) switch
        {
            0 => $"Rally for {Pick(Catalog.Causes)}",
            1 => $"Emergency Rally: {Pick(Catalog.Demands)}",
            _ => $"{Pick(Catalog.Causes)} Rally",
        },
        EventKind.Picket => random.Next(2) == 0 ? $"Picket at {Pick(Catalog.Targets)}" : $"Information Picket: {Pick(Catalog.Causes)}",
        EventKind.March => random.Next(5) == 0 ? "May Day March" : $"March for {Pick(Catalog.Causes)}",
        EventKind.Demonstration => random.Next(2) == 0 ? $"Demonstration Against {Pick(Catalog.Issues)}" : $"Day of Action for {Pick(Catalog.Causes)}",
        EventKind.Vigil => $"Candlelight Vigil for {Pick(Catalog.Causes)}",
        EventKind.TeachIn => $"Teach-in: {Pick(Catalog.Topics)}",
        EventKind.Panel => $"Panel: {Pick(Catalog.Topics)}",
        EventKind.Workshop => $"Workshop: {Pick(Catalog.Skills)}",
        EventKind.Blockade => $"Blockade at {Pick(Catalog.Targets)}",
        EventKind.OnlineAction => $"Online Day of Action: {Pick(Catalog.Demands)}",
        _ => random.Next(3) switch
        {
            0 => $"Community Meeting on {Pick(Catalog.Causes)}",
            1 => $"Fundraiser for {Pick(Catalog.Causes)}",
            _ => $"Film Screening and Discussion: {Pick(Catalog.Topics)}",
        },
    };

    private string AssemblyTitle(EventKind kind, int city) => kind == EventKind.Assembly
        ? random.Next(2) == 0 ? $"{Catalog.Cities[city].Name} People's Assembly for {Pick(Catalog.Causes)}" : $"{Ordinal(random.Next(1, 12))} General Assembly of the {Pick(Catalog.Regions)} Solidarity Network"
        : $"Conference on {Pick(Catalog.Topics)}";

    private string SessionTitle(EventKind kind) => kind switch
    {
        EventKind.Panel => $"Panel: {Pick(Catalog.Topics)}",
        EventKind.Workshop => $"Workshop: {Pick(Catalog.Skills)}",
        EventKind.TeachIn => $"Teach-in: {Pick(Catalog.Topics)}",
        _ => random.Next(2) == 0 ? "Opening Plenary" : "Closing Plenary and Adoption of Resolutions",
    };

    private (string Kind, string Name, string Slug) OrganizationName(int city)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (kind, patterns) = Pick(Catalog.OrganizationShapes);
            var c = Catalog.Cities[city];
            var name = Fill(Pick(patterns), c);
            if (attempt >= 8)
            {
                // Big data sets run out of combinations: numbered locals and chapters are real too.
                name = $"{name}, Chapter {random.Next(2, 10_000)}";
            }

            var slug = Slugs.From(name);
            if (slug.Length > 0 && slugs.Add("organization:" + slug))
            {
                return (kind, name, slug);
            }
        }
    }

    // A consulate is another country's.
    private string Venue(City c) => Fill(Pick(Catalog.VenuePatterns).Replace("{country}", Catalog.Cities[PickCity()].Country, StringComparison.Ordinal), c);

    private string Fill(string pattern, City c)
    {
        var text = new StringBuilder(pattern);
        text.Replace("{city}", c.Name).Replace("{country}", c.Country)
            .Replace("{region}", Pick(Catalog.Regions)).Replace("{cause}", Pick(Catalog.Causes)).Replace("{issue}", Pick(Catalog.Issues))
            .Replace("{adj}", Pick(Catalog.Adjectives)).Replace("{trade}", Pick(Catalog.Trades)).Replace("{n}", random.Next(10, 5000).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{landmark}", Pick(c.Landmarks)).Replace("{street}", Pick(c.Streets)).Replace("{street2}", Pick(c.Streets))
            .Replace("{surname}", Pick(Catalog.Surnames)).Replace("{saint}", Pick(Catalog.Saints)).Replace("{first}", Pick(Catalog.FirstNames));
        return text.ToString();
    }

    private string UniqueSlug(string scope, string text)
    {
        var slug = Slugs.From(text);
        if (slug.Length > 190)
        {
            slug = slug[..190].TrimEnd('-');
        }

        if (slugs.Add(scope + ":" + slug))
        {
            return slug;
        }

        for (var n = 2; ; n++)
        {
            var candidate = $"{slug}-{n}";
            if (slugs.Add(scope + ":" + candidate))
            {
                return candidate;
            }
        }
    }

    private string Paragraph(int min, int max)
    {
        var target = random.Next(min, max);
        var text = new StringBuilder(max + 200);
        while (text.Length < target)
        {
            text.Append(Pick(Catalog.Sentences)).Append(' ');
        }

        return text.ToString(0, text.Length - 1);
    }

    private void Citations(NpgsqlBinaryImporter w, int count)
    {
        if (count == 0)
        {
            w.Write("[]", NpgsqlDbType.Jsonb);
            return;
        }

        var citations = new Citation[count];
        for (var i = 0; i < count; i++)
        {
            citations[i] = new Citation(Pick(documents), $"{Pick(Catalog.Sentences)} {Pick(Catalog.Sentences)}");
        }

        // The shape EF Core maps Citation to (OwnsMany(...).ToJson): property names as in C#.
        w.Write(JsonSerializer.Serialize(citations), NpgsqlDbType.Jsonb);
    }

    private string[] Distinct(string[] items, int count)
    {
        if (count == 0)
        {
            return [];
        }

        var chosen = new List<string>(count);
        for (var attempt = 0; chosen.Count < count && attempt < count * 4; attempt++)
        {
            var item = Pick(items);
            if (!chosen.Contains(item))
            {
                chosen.Add(item);
            }
        }

        return [.. chosen];
    }

    private EventKind PickKind(int total)
    {
        var roll = random.Next(total);
        foreach (var (kind, weight) in KindWeights)
        {
            if (roll < weight)
            {
                return kind;
            }

            roll -= weight;
        }

        return EventKind.Other;
    }

    private int PickCity() => Sample(cityWeights);

    private int PickOrganization() => Sample(organizationWeights);

    private int Sample(double[] cumulative)
    {
        var index = Array.BinarySearch(cumulative, random.NextDouble() * cumulative[^1]);
        return Math.Min(index < 0 ? ~index : index, cumulative.Length - 1);
    }

    private static double[] Cumulative(IEnumerable<double> weights)
    {
        var sum = 0.0;
        return weights.Select(w => sum += w).ToArray();
    }

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];

    /// <param name="skewRecent">More activity in later years, as a growing project would record.</param>
    private DateOnly RandomDay(DateOnly from, DateOnly to, bool skewRecent = false)
    {
        var span = to.DayNumber - from.DayNumber;
        var u = random.NextDouble();
        return from.AddDays((int)(span * (skewRecent ? Math.Sqrt(u) : u)));
    }

    /// <summary>A version-7-shaped id: the creation time's milliseconds, then bits from the seeded generator.</summary>
    private Guid NewId(DateTimeOffset created)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        var ms = created.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        }

        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    private static DateTimeOffset Clamp(DateTime utc) => Clamp(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));

    private static DateTimeOffset Clamp(DateTimeOffset instant) => instant > Now ? Now.AddMinutes(-(instant - Now).TotalMinutes % 43_200) : instant;

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string Ordinal(int n) => n switch
    {
        1 => "1st",
        2 => "2nd",
        3 => "3rd",
        _ => $"{n}th",
    };

    private static void Text(NpgsqlBinaryImporter w, string? value)
    {
        if (value is null)
        {
            w.WriteNull();
        }
        else
        {
            w.Write(value, NpgsqlDbType.Text);
        }
    }

    private static void Uuid(NpgsqlBinaryImporter w, Guid? value)
    {
        if (value is { } v)
        {
            w.Write(v, NpgsqlDbType.Uuid);
        }
        else
        {
            w.WriteNull();
        }
    }

    private static void TimestampTz(NpgsqlBinaryImporter w, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            w.Write(v, NpgsqlDbType.TimestampTz);
        }
        else
        {
            w.WriteNull();
        }
    }
}
