using Microsoft.EntityFrameworkCore;
using Organizer.Application.Access;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;
using Organizer.Domain.Access;
using Organizer.Domain.Common;
using Organizer.Domain.Events;
using Organizer.Domain.Places;

namespace Organizer.Application.Events;

/// <summary>Applies a validated <see cref="EventInput"/> to an event: the part creating and replacing share.</summary>
internal sealed class EventAssembler(IOrganizerDbContext db, IChangeAuthorization access)
{
    /// <param name="hostId">The organization hosting the event, already checked against the actor.</param>
    public async Task ApplyAsync(Event target, EventInput input, Guid? hostId, Actor actor, CancellationToken cancellationToken)
    {
        target.Title = input.Title!.Trim();
        target.Kind = Parse<EventKind>(input.Kind);
        target.Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Replace("\r\n", "\n", StringComparison.Ordinal);
        target.Visibility = input.Visibility is null ? Visibility.Public : Parse<Visibility>(input.Visibility);
        target.OnlineUrl = input.OnlineUrl;
        target.Tags = input.Tags?.Select(t => t.ToLowerInvariant()).Distinct().ToList() ?? [];
        target.Demands = input.Demands?.Select(d => d.Trim()).ToList() ?? [];
        target.Attendance = input.Attendance is { } a ? new Attendance(a.Estimate, a.Reported!.Trim()) : null;
        target.Citations = input.Sources?.Select(s => new Citation(s.Document!.Trim(), s.Quote!.Trim())).ToList() ?? [];

        var place = await PlaceAsync(input, actor, cancellationToken);
        target.Place = place;
        target.PlaceId = place?.Id;
        target.Schedule = Schedule(input, place);
        target.ParentId = await ParentAsync(input.Parent, target, actor, cancellationToken);

        await ParticipationsAsync(target, input, hostId, cancellationToken);
        Speakers(target, input);
    }

    /// <summary>"2026-12-05-emergency-rally"; a title with no letter or digit in any script takes the event's id instead.</summary>
    public static string BaseSlug(EventInput input, Guid id)
    {
        var date = input.Start is { Length: >= 10 } start ? start[..10] : "";
        var title = Slugs.From(input.Title ?? "");
        return Slugs.Truncate(Slugs.From($"{date} {(title.Length > 0 ? title : Slugs.FromId(id))}"), 80);
    }

    public static AuditEntry Audit(Actor actor, string action, Event e, DateTimeOffset at) => actor.Audit(action, "event", e.Id, e.Slug, at);

    private async Task<Place?> PlaceAsync(EventInput input, Actor actor, CancellationToken cancellationToken)
    {
        if (input.Place is not null)
        {
            return await db.Places.SingleAsync(p => p.Slug == input.Place, cancellationToken);
        }

        // Public only while a public event uses it (see EventVisibility): a private meeting's address stays private,
        // whoever posts it, the admin included.
        return input.NewPlace is { } p
            ? await Places.PlaceRecorder.AddAsync(db, p, actor, isPublic: false, input.TimeZone, cancellationToken)
            : null;
    }

    private static EventSchedule Schedule(EventInput input, Place? place)
    {
        var zone = input.TimeZone ?? place?.TimeZone
            ?? throw new ValidationException("timeZone", "'timeZone' is required (an IANA id such as America/Toronto) unless the place has one.");
        if (input.AllDay == true)
        {
            Times.TryDate(input.Start, out var first);
            var last = first;
            if (input.End is not null)
            {
                Times.TryDate(input.End, out last);
            }

            return EventSchedule.AllDayRange(first, last, zone);
        }

        Times.TryLocal(input.Start, out var start);
        DateTime? end = Times.TryLocal(input.End, out var e) ? e : null;
        return EventSchedule.Timed(start, end, zone);
    }

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

        if (parent.Id == target.Id || parent.ParentId is not null)
        {
            throw new ValidationException("parent", "A session's parent must be a top-level event (an assembly, say), not itself or another session.");
        }

        return parent.Id;
    }

    private async Task ParticipationsAsync(Event target, EventInput input, Guid? hostId, CancellationToken cancellationToken)
    {
        var slugs = (input.Organizations ?? []).Select(o => o.Slug!).ToList();
        var organizations = await db.Organizations.Where(o => slugs.Contains(o.Slug) || o.Aliases.Any(a => slugs.Contains(a.Slug)))
            .Select(o => new { o.Id, o.Slug, Aliases = o.Aliases.Select(a => a.Slug).ToList() })
            .ToListAsync(cancellationToken);

        var wanted = new List<EventParticipation>();
        if (hostId is { } host)
        {
            wanted.Add(new EventParticipation { EventId = target.Id, OrganizationId = host, Role = ParticipationRole.Host });
        }

        foreach (var o in input.Organizations ?? [])
        {
            var id = organizations.Single(x => x.Slug == o.Slug || x.Aliases.Contains(o.Slug!)).Id;
            if (wanted.Any(w => w.OrganizationId == id))
            {
                throw new ValidationException("organizations", $"'{o.Slug}' is already listed (the host is added by itself).");
            }

            wanted.Add(new EventParticipation { EventId = target.Id, OrganizationId = id, Role = Parse<ParticipationRole>(o.Role) });
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

    private static void Speakers(Event target, EventInput input)
    {
        target.Speakers.Clear();
        foreach (var (s, i) in (input.Speakers ?? []).Select((s, i) => (s, i)))
        {
            target.Speakers.Add(new EventSpeaker { EventId = target.Id, Ordinal = i, Name = s.Name!.Trim(), Affiliation = s.Affiliation, Role = s.Role });
        }
    }

    private static T Parse<T>(string? text) where T : struct, Enum =>
        KebabEnum.TryParse<T>(text, out var value) ? value : throw new ValidationException(typeof(T).Name, $"'{text}' is not one of {KebabEnum.Allowed<T>()}.");
}
