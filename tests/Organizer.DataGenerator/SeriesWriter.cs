using Microsoft.EntityFrameworkCore;
using NodaTime;
using Organizer.Application.Events.Series;
using Organizer.Domain.Events;
using Organizer.Infrastructure.Persistence;

namespace Organizer.DataGenerator;

/// <summary>
/// Adds recurring series to a generated data set: weekly vigils, monthly assemblies and daily picket lines, a third of
/// them never ending, some with a cancelled or removed date. Half go to the ten organizations with the most events
/// (those the timeline benchmark measures), the rest to organizations picked at random. Written through the DbContext,
/// so the database's triggers keep their copies and counts as they would for the API's writes.
/// </summary>
internal sealed class SeriesWriter(OrganizerDbContext db, int count, int seed, TextWriter log)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Zones = ["America/Toronto", "America/Toronto", "Europe/London", "America/Mexico_City", "Australia/Sydney"];
    private static readonly string[] Causes = ["the disappeared", "a ceasefire now", "tenants' rights", "the strike fund", "political prisoners", "clean water", "living wages"];

    private readonly Random random = new(seed);

    public async Task<int> WriteAsync(CancellationToken cancellationToken)
    {
        var biggest = await db.Database.SqlQueryRaw<Guid>(
                "SELECT organization_id AS \"Value\" FROM organization_event_counts GROUP BY organization_id ORDER BY sum(events) DESC, organization_id LIMIT 10")
            .ToListAsync(cancellationToken);
        var organizations = await db.Organizations.AsNoTracking().OrderBy(o => o.Id).Select(o => o.Id).ToListAsync(cancellationToken);
        var places = await db.Places.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Id).Take(5000).ToListAsync(cancellationToken);
        if (organizations.Count == 0)
        {
            throw new InvalidOperationException("No organizations: generate a data set first.");
        }

        var occurrences = 0;
        for (var i = 0; i < count; i++)
        {
            var host = i % 2 == 0 && biggest.Count > 0 ? biggest[i / 2 % biggest.Count] : organizations[random.Next(organizations.Count)];
            var series = Series(i, host, organizations, places);
            db.Events.Add(series);
            occurrences += SeriesExpansion.From(series, null, new ExpansionBudget(100_000)).TakeWhile(o => o.Schedule.SortAt < Now).Count();
            if (i % 100 == 99)
            {
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        log.WriteLine($"  series                   {count,8:N0} rows      ({occurrences:N0} occurrences before {Now:yyyy-MM-dd})");
        return count;
    }

    private Event Series(int index, Guid host, List<Guid> organizations, List<Guid> places)
    {
        var zone = Zones[random.Next(Zones.Length)];
        var (kind, frequency, hour, hours) = random.Next(3) switch
        {
            0 => (EventKind.Vigil, RecurrenceFrequency.Weekly, 18, 1),
            1 => (EventKind.Assembly, RecurrenceFrequency.Monthly, 19, 2),
            _ => (EventKind.Picket, RecurrenceFrequency.Daily, 7, 2),
        };

        // Mostly begun in the last five years; a few not yet.
        var first = new DateOnly(2021, 1, 4).AddDays(random.Next(6 * 365));
        if (frequency == RecurrenceFrequency.Monthly)
        {
            first = new DateOnly(first.Year, first.Month, Math.Min(first.Day, 28));
        }

        var weekday = (IsoDayOfWeek)((int)first.DayOfWeek == 0 ? 7 : (int)first.DayOfWeek);
        var rule = new Recurrence
        {
            Frequency = frequency,
            Interval = frequency == RecurrenceFrequency.Weekly && random.Next(4) == 0 ? 2 : 1,
            ByDay = frequency switch
            {
                RecurrenceFrequency.Weekly => [new WeekdayRule(null, weekday)],
                RecurrenceFrequency.Monthly when random.Next(2) == 0 => [new WeekdayRule(((first.Day - 1) / 7) + 1, weekday)],
                _ => [],
            },
        };

        // A monthly rule is a weekday of the month ("the fourth Tuesday") or a day of the month, not both.
        if (frequency == RecurrenceFrequency.Monthly && rule.ByDay.Count == 0)
        {
            rule = rule with { ByMonthDay = [first.Day] };
        }

        // A picket line lasts as long as its strike; a third of the vigils and assemblies never end.
        rule = frequency == RecurrenceFrequency.Daily
            ? rule with { Count = 5 + random.Next(60) }
            : random.Next(3) switch
            {
                0 => rule,
                1 => rule with { Count = 6 + random.Next(100) },
                _ => rule with { Until = LocalDate.FromDateOnly(first.AddDays(60 + random.Next(1500))) },
            };

        var start = first.ToDateTime(new TimeOnly(hour, 0));
        var schedule = EventSchedule.Timed(start, start.AddHours(hours), zone);
        var id = Guid.CreateVersion7();
        var series = new Event
        {
            Id = id,
            Slug = $"{first:yyyy-MM-dd}-series-{index}-{random.Next():x8}",
            Title = $"{(kind == EventKind.Picket ? "Picket line" : kind == EventKind.Vigil ? "Weekly vigil" : "Monthly assembly")} for {Causes[random.Next(Causes.Length)]}",
            Kind = kind,
            Schedule = schedule,
            PlaceId = places.Count > 0 ? places[random.Next(places.Count)] : null,
            Recurrence = rule,
            SeriesEndDate = SeriesExpansion.EndDate(rule, schedule),
            Description = "A recurring action, generated.",
            CreatedAt = Now,
            UpdatedAt = Now,
        };
        series.Participations.Add(new EventParticipation { EventId = id, OrganizationId = host, Role = ParticipationRole.Host });
        foreach (var other in Enumerable.Range(0, random.Next(4)).Select(_ => organizations[random.Next(organizations.Count)]).Where(o => o != host).Distinct())
        {
            series.Participations.Add(new EventParticipation { EventId = id, OrganizationId = other, Role = random.Next(2) == 0 ? ParticipationRole.CoOrganizer : ParticipationRole.Participant });
        }

        // Some dates called off, some removed.
        if (random.Next(4) == 0)
        {
            var dates = SeriesExpansion.From(series, null, new ExpansionBudget(30)).Select(o => o.Date).ToList();
            var picked = dates[random.Next(dates.Count)];
            if (random.Next(2) == 0)
            {
                series.ExceptDates.Add(picked);
            }
            else
            {
                series.Overrides.Add(new OccurrenceOverride
                {
                    EventId = id,
                    Occurrence = picked,
                    Status = EventStatus.Cancelled,
                    StatusReason = "Called off.",
                    Sequence = 1,
                    CreatedAt = Now,
                    UpdatedAt = Now,
                });
            }
        }

        return series;
    }
}
