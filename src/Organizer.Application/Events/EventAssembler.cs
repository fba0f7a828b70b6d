using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Access;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;
using Organizer.Application.Events.Series;
using Organizer.Application.Places;
using Organizer.Domain.Access;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

/// <summary>Applies a validated body to an event: the part creating and replacing share.</summary>
internal sealed class EventAssembler(IOrganizerDbContext db, IChangeAuthorization access)
{
    /// <param name="references">The body's organizations and place, already looked up.</param>
    /// <param name="hostId">The organization hosting the event, already checked against the actor.</param>
    public async Task ApplyAsync(Event target, EventDraft draft, EventReferences references, Guid? hostId, Actor actor, CancellationToken cancellationToken)
    {
        target.Title = draft.Title;
        target.Kind = draft.Kind;
        target.Description = draft.Description;
        target.Visibility = draft.Visibility;
        target.OnlineUrl = draft.OnlineUrl;
        target.Tags = draft.Tags;
        target.Demands = draft.Demands;
        target.Attendance = draft.Attendance;
        target.Citations = draft.Citations;

        // Public only while a public event uses it (see EventVisibility): a private meeting's address stays private,
        // whoever posts it, the admin included.
        var place = draft.NewPlace is { } newPlace
            ? await PlaceRecorder.AddAsync(db, newPlace, actor, isPublic: false, references.Zone, cancellationToken)
            : references.Place;
        target.Place = place;
        target.PlaceId = place?.Id;
        target.Schedule = draft.Schedule(references.Zone);
        target.ParentId = await ParentAsync(draft.ParentSlug, target, actor, cancellationToken);
        Repeat(target, draft);

        Participations(target, draft, references, hostId);
        Speakers(target, draft);
    }

    /// <summary>"2026-12-05-emergency-rally"; a title with no letter or digit in any script takes the event's id instead.</summary>
    public static string BaseSlug(EventDraft draft, Guid id)
    {
        var title = Slugs.From(draft.Title);
        return Slugs.Truncate(Slugs.From($"{draft.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} {(title.Length > 0 ? title : Slugs.FromId(id))}"), 80);
    }

    public static AuditEntry Audit(Actor actor, string action, Event e, DateTimeOffset at) => actor.Audit(action, "event", e.Id, e.Slug, at);

    private async Task<Guid?> ParentAsync(string? parentSlug, Event target, Actor actor, CancellationToken cancellationToken)
    {
        if (parentSlug is null)
        {
            return null;
        }

        var parent = await db.Events.Include(e => e.Participations).AsNoTracking().FirstOrDefaultAsync(e => e.Slug == parentSlug, cancellationToken);

        // An event the caller may not see answers as one that does not exist; one they see but may not change refuses.
        if (parent is null || !EventVisibility.MayView(parent, actor))
        {
            throw new ValidationException("parent", $"No event '{parentSlug}' exists.");
        }

        if (parent.Id != target.ParentId)
        {
            await access.EnsureAllowedAsync(new Change.SessionOf(parent), actor);
        }

        if (parent.Recurrence is not null)
        {
            throw new ValidationException("parent", "A series cannot have sessions; a session belongs to an assembly that happens once.");
        }

        if (parent.Id == target.Id || parent.ParentId is not null)
        {
            throw new ValidationException("parent", "A session's parent must be a top-level event (an assembly, say), not itself or another session.");
        }

        return parent.Id;
    }

    /// <summary>
    /// Makes the event a series, or a single event again. Removed dates must be dates of the rule; changed occurrences
    /// that the new rule no longer has, or that are now removed, go.
    /// </summary>
    private static void Repeat(Event target, EventDraft draft)
    {
        if (draft.Recurrence is not { } input)
        {
            target.Recurrence = null;
            target.SeriesEndDate = null;
            target.ExceptDates = [];
            target.Overrides.Clear();
            return;
        }

        var schedule = target.Schedule;
        var zone = EventSchedule.FindZone(schedule.TimeZone);
        var start = schedule.AllDay ? NodaTime.LocalTime.Midnight : NodaTime.LocalDateTime.FromDateTime(draft.Start).TimeOfDay;
        var rule = input.ToRule(start, zone);
        if (!SeriesExpansion.StartsOnRule(rule, schedule))
        {
            throw new ValidationException("recurrence", $"The first occurrence ({schedule.StartDate:yyyy-MM-dd}, a {schedule.StartDate.DayOfWeek}) is not a day the rule picks: a series starts on its first occurrence.");
        }

        // Its first occurrence is the series' DTSTART, from which clients take every occurrence's length: one that the
        // clocks show twice is read as the later time by most of them, which would move it and stretch or shrink the rest.
        if (!schedule.AllDay && zone.MapLocal(NodaTime.LocalDateTime.FromDateTime(draft.Start)).Count > 1)
        {
            throw new ValidationException("start", $"{draft.Start:yyyy-MM-dd HH:mm} happens twice in {zone.Id} (the clocks go back then), and calendar apps disagree on which one a series starts at: start the series at another time or on another day.");
        }

        if (rule.Until is { } until && until < new NodaTime.LocalDate(schedule.StartDate.Year, schedule.StartDate.Month, schedule.StartDate.Day))
        {
            throw new ValidationException("recurrence.until", "The series ends before its first occurrence: 'until' must not be before 'start'.");
        }

        target.Recurrence = rule;
        target.SeriesEndDate = SeriesExpansion.EndDate(rule, schedule);
        var removed = (input.ExceptDates ?? []).Select(d => Times.TryDate(d, out var date) ? date : throw new InvalidOperationException("An except date reached a series unvalidated."))
            .Distinct().Order().ToList();
        target.ExceptDates = removed;
        foreach (var date in removed)
        {
            if (!SeriesExpansion.IsDate(target, date))
            {
                throw new ValidationException("recurrence.exceptDates", $"{date:yyyy-MM-dd} is not a date of the series.");
            }
        }

        target.Overrides.RemoveAll(o => removed.Contains(o.Occurrence) || !SeriesExpansion.IsDate(target, o.Occurrence));
        target.SeriesEndDate = SeriesExpansion.LastDate(target);
    }

    private static void Participations(Event target, EventDraft draft, EventReferences references, Guid? hostId)
    {
        var wanted = new List<EventParticipation>();
        if (hostId is { } host)
        {
            wanted.Add(new EventParticipation { EventId = target.Id, OrganizationId = host, Role = ParticipationRole.Host });
        }

        foreach (var (slug, role) in draft.Organizations)
        {
            var id = references.Organizations[slug];
            if (wanted.Any(w => w.OrganizationId == id))
            {
                throw new ValidationException("organizations", $"'{slug}' is already listed (the host is added by itself).");
            }

            wanted.Add(new EventParticipation { EventId = target.Id, OrganizationId = id, Role = role });
        }

        target.Participations.RemoveAll(p => !wanted.Any(w => w.OrganizationId == p.OrganizationId));
        foreach (var w in wanted)
        {
            if (target.Participations.FirstOrDefault(p => p.OrganizationId == w.OrganizationId) is { } existing)
            {
                existing.Role = w.Role;
            }
            else
            {
                target.Participations.Add(w);
            }
        }
    }

    private static void Speakers(Event target, EventDraft draft)
    {
        target.Speakers.Clear();
        foreach (var ((name, affiliation, role), i) in draft.Speakers.Select((s, i) => (s, i)))
        {
            target.Speakers.Add(new EventSpeaker { EventId = target.Id, Ordinal = i, Name = name, Affiliation = affiliation, Role = role });
        }
    }
}
