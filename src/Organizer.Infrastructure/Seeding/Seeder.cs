using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Organizer.Application.Common;
using Organizer.Domain.Common;
using Organizer.Domain.Events;
using Organizer.Domain.Organizations;
using Organizer.Domain.Places;
using Organizer.Domain.Sources;
using Organizer.Domain.Statements;
using Organizer.Infrastructure.Persistence;

namespace Organizer.Infrastructure.Seeding;

/// <summary>
/// Loads the curated records of Seeding/seed.json. Every record has a stable key (slug, document name, or
/// assembly + ordinal) and an id derived from it, and only missing records are inserted: running it again
/// changes nothing, and records edited through the API are never overwritten.
/// </summary>
public sealed class Seeder(OrganizerDbContext db, ILogger<Seeder> logger)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public async Task<int> SeedAsync(CancellationToken cancellationToken = default)
    {
        var seed = Load();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var sources = await db.SourceDocuments.Select(s => s.Document).ToHashSetAsync(cancellationToken);
        foreach (var s in seed.Sources.Where(s => !sources.Contains(s.Document)))
        {
            db.SourceDocuments.Add(new SourceDocument
            {
                Id = StableId("source", s.Document),
                Document = s.Document,
                Title = s.Title,
                Publication = s.Publication,
                Author = s.Author,
                PublishedOn = s.PublishedOn,
                Url = s.Url,
                Note = s.Note,
            });
        }

        var organizations = await db.Organizations.Select(o => o.Slug).ToHashSetAsync(cancellationToken);
        foreach (var o in seed.Organizations.Where(o => !organizations.Contains(o.Slug)))
        {
            db.Organizations.Add(new Organization
            {
                Id = StableId("organization", o.Slug),
                Slug = o.Slug,
                Name = o.Name,
                Kind = ParseEnum<OrganizationKind>(o.Kind, $"organization {o.Slug} kind"),
                HomeCity = o.HomeCity,
                HomeCountryCode = o.HomeCountryCode,
                Website = o.Website,
                Description = o.Description,
                Aliases = (o.Aliases ?? []).Select(a => new OrganizationAlias { Id = StableId("alias", a.Slug), Name = a.Name, Slug = a.Slug }).ToList(),
                Citations = o.Citations,
            });
        }

        var places = await db.Places.Select(p => p.Slug).ToHashSetAsync(cancellationToken);
        foreach (var p in seed.Places.Where(p => !places.Contains(p.Slug)))
        {
            db.Places.Add(new Place
            {
                Id = StableId("place", p.Slug),
                Slug = p.Slug,
                Name = p.Name,
                Address = p.Address,
                City = p.City,
                Region = p.Region,
                CountryCode = p.CountryCode,
                Latitude = p.Latitude,
                Longitude = p.Longitude,
                TimeZone = p.TimeZone,
                Note = p.Note,
                Citations = p.Citations,

                // Every seeded place is named in a published news report.
                IsPublic = true,
            });
        }

        var events = await db.Events.Select(e => e.Slug).ToHashSetAsync(cancellationToken);
        var added = 0;
        foreach (var e in seed.Events.Where(e => !events.Contains(e.Slug)))
        {
            db.Events.Add(ToEvent(e));
            added++;
        }

        var resolutions = await db.Resolutions.Select(r => r.Id).ToHashSetAsync(cancellationToken);
        foreach (var r in seed.Resolutions)
        {
            var id = StableId("resolution", $"{r.Event}#{r.Ordinal.ToString(CultureInfo.InvariantCulture)}");
            if (!resolutions.Contains(id))
            {
                db.Resolutions.Add(new Resolution
                {
                    Id = id,
                    EventId = StableId("event", r.Event),
                    Ordinal = r.Ordinal,
                    Title = r.Title,
                    Text = r.Text,
                    Outcome = r.Outcome is null ? ResolutionOutcome.Adopted : ParseEnum<ResolutionOutcome>(r.Outcome, $"resolution {r.Event}#{r.Ordinal} outcome"),
                    Citations = r.Citations,
                });
            }
        }

        var statements = await db.Statements.Select(s => s.Slug).ToHashSetAsync(cancellationToken);
        foreach (var s in seed.Statements.Where(s => !statements.Contains(s.Slug)))
        {
            var id = StableId("statement", s.Slug);
            db.Statements.Add(new Statement
            {
                Id = id,
                Slug = s.Slug,
                Title = s.Title,
                IssuedOn = s.IssuedOn,
                DatePrecision = s.DatePrecision is null ? DatePrecision.Day : ParseEnum<DatePrecision>(s.DatePrecision, $"statement {s.Slug} datePrecision"),
                DateNote = s.DateNote,
                Issuers = s.Organizations.Select((slug, i) => new StatementIssuer { StatementId = id, OrganizationId = StableId("organization", slug), Ordinal = i }).ToList(),
                Spokesperson = s.Spokesperson,
                Summary = s.Summary,
                Text = s.Text,
                ReadAtEventId = s.ReadAtEvent is null ? null : StableId("event", s.ReadAtEvent),
                Citations = s.Citations,
            });
        }

        var written = await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (written > 0)
        {
            logger.LogInformation("Seeded {Rows} rows ({Events} new events) from the curated source documents", written, added);
        }

        return written;
    }

    private static Event ToEvent(SeedEvent e)
    {
        var id = StableId("event", e.Slug);
        var precision = ParseEnum<DatePrecision>(e.DatePrecision, $"event {e.Slug} datePrecision");
        var schedule = e.AllDay
            ? EventSchedule.AllDayRange(DateOnly.Parse(e.Start, CultureInfo.InvariantCulture), DateOnly.Parse(e.End ?? e.Start, CultureInfo.InvariantCulture), e.TimeZone, precision)
            : EventSchedule.Timed(DateTime.Parse(e.Start, CultureInfo.InvariantCulture), e.End is null ? null : DateTime.Parse(e.End, CultureInfo.InvariantCulture), e.TimeZone);

        return new Event
        {
            Id = id,
            Slug = e.Slug,
            Title = e.Title,
            Kind = ParseEnum<EventKind>(e.Kind, $"event {e.Slug} kind"),
            Status = e.Status is null ? EventStatus.Scheduled : ParseEnum<EventStatus>(e.Status, $"event {e.Slug} status"),
            Schedule = schedule,
            DateNote = e.DateNote,
            ParentId = e.Parent is null ? null : StableId("event", e.Parent),
            PlaceId = e.Place is null ? null : StableId("place", e.Place),
            OnlineUrl = e.OnlineUrl,
            Participations = (e.Organizations ?? []).Select(p => new EventParticipation
            {
                EventId = id,
                OrganizationId = StableId("organization", p.Slug),
                Role = ParseEnum<ParticipationRole>(p.Role, $"event {e.Slug} role"),
            }).ToList(),
            Speakers = (e.Speakers ?? []).Select((s, i) => new EventSpeaker
            {
                Id = StableId("speaker", $"{e.Slug}#{i.ToString(CultureInfo.InvariantCulture)}"),
                EventId = id,
                Ordinal = i,
                Name = s.Name,
                Affiliation = s.Affiliation,
                Role = s.Role,
                OrganizationId = s.Organization is null ? null : StableId("organization", s.Organization),
            }).ToList(),
            Attendance = e.Attendance is null ? null : new Attendance(e.Attendance.Estimate, e.Attendance.Reported),
            Tags = e.Tags ?? [],
            Demands = e.Demands ?? [],
            Description = e.Description,
            Notes = e.Notes ?? [],
            Citations = e.Citations,
        };
    }

    private static SeedDocument Load()
    {
        using var stream = typeof(Seeder).Assembly.GetManifestResourceStream("Organizer.Seed.json")
            ?? throw new InvalidOperationException("The seed data resource Organizer.Seed.json is missing from the build.");
        return JsonSerializer.Deserialize<SeedDocument>(stream, JsonOptions)
            ?? throw new InvalidOperationException("The seed data is empty.");
    }

    private static T ParseEnum<T>(string text, string what) where T : struct, Enum =>
        KebabEnum.TryParse<T>(text, out var value)
            ? value
            : throw new InvalidOperationException($"Seed data: {what} '{text}' is not one of {KebabEnum.Allowed<T>()}.");

    /// <summary>
    /// Derives a record's permanent id from its kind and stable key, so every installation gives a seeded event
    /// the same id, and so the same calendar UID.
    /// </summary>
    internal static Guid StableId(string kind, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"organizer:{kind}:{key}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8: application-defined
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}
