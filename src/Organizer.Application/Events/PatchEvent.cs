using System.Text.Json.Nodes;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Access;
using Organizer.Application.Common;
using Organizer.Application.Common.Behaviours;
using Organizer.Application.Common.Links;
using Organizer.Application.Common.Security;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

/// <summary>Changes some fields of an event: a JSON Merge Patch (RFC 7386) applied to the event's current write body.</summary>
public sealed record PatchEventCommand(string Slug, JsonObject Patch, uint? ExpectedVersion, Actor Actor) : ICommand<WrittenEvent>;

public sealed class PatchEventCommandHandler(
    IOrganizerDbContext db, IChangeAuthorization access, TimeProvider clock, ILinks links, IEnumerable<IValidator<UpdateEventCommand>> validators)
    : ICommandHandler<PatchEventCommand, WrittenEvent>
{
    public async ValueTask<WrittenEvent> Handle(PatchEventCommand command, CancellationToken cancellationToken)
    {
        var e = await EventAccess.LoadForWriteAsync(db, access, command.Slug, command.Actor, expectedVersion: null, cancellationToken);
        var patched = MergePatch.ApplyTo(StoredEventInput.ForPatch(await StoredEventInput.ReadAsync(db, e, cancellationToken), command.Patch), command.Patch);

        // The body exists only now, so the pipeline could not check it: the same rules as a PUT run here, before the
        // version check, so that a bad patch gets its 400 whatever If-Match says.
        await Validators.ThrowIfInvalidAsync(validators, new UpdateEventCommand(command.Slug, patched, command.ExpectedVersion, command.Actor), cancellationToken);
        EventAccess.RequireVersion(e, command.ExpectedVersion);
        return await new EventReplacement(db, access, clock, links).ReplaceAsync(e, patched, command.Actor, cancellationToken);
    }
}

/// <summary>A loaded event as a write body: what a merge patch is applied to.</summary>
internal static class StoredEventInput
{
    public static async Task<EventInput> ReadAsync(IOrganizerDbContext db, Event e, CancellationToken cancellationToken)
    {
        var place = e.PlaceId is { } placeId ? await db.Places.AsNoTracking().Where(p => p.Id == placeId).Select(p => p.Slug).FirstAsync(cancellationToken) : null;
        var parent = e.ParentId is { } parentId ? await db.Events.AsNoTracking().Where(p => p.Id == parentId).Select(p => p.Slug).FirstAsync(cancellationToken) : null;
        var organizationIds = e.Participations.Select(p => p.OrganizationId).ToList();
        var slugs = await db.Organizations.AsNoTracking().Where(o => organizationIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Slug, cancellationToken);
        var zone = EventSchedule.FindZone(e.Schedule.TimeZone);

        string Local(DateTimeOffset instant) => EventSchedule.ToLocal(instant, zone).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

        var input = new EventInput
        {
            Title = e.Title,
            Kind = KebabEnum.ToKebab(e.Kind),
            Description = e.Description,
            AllDay = e.Schedule.AllDay,
            Start = e.Schedule.AllDay ? e.Schedule.StartDate.ToString("yyyy-MM-dd") : Local(e.Schedule.StartsAt!.Value),
            End = e.Schedule.AllDay ? e.Schedule.EndDate.ToString("yyyy-MM-dd") : e.Schedule.EndsAt is { } end ? Local(end) : null,
            TimeZone = e.Schedule.TimeZone,
            Place = place,
            OnlineUrl = e.OnlineUrl,
            Organizations = e.Participations.Where(p => p.Role != ParticipationRole.Host)
                .Select(p => new ParticipationInput(slugs[p.OrganizationId], KebabEnum.ToKebab(p.Role))).ToList(),
            Speakers = e.Speakers.OrderBy(s => s.Ordinal).Select(s => new SpeakerInput(s.Name, s.Affiliation, s.Role)).ToList(),
            Attendance = e.Attendance is { } a ? new AttendanceInput(a.Estimate, a.Reported) : null,
            Tags = e.Tags,
            Demands = e.Demands,
            Visibility = KebabEnum.ToKebab(e.Visibility),
            Parent = parent,
            Sources = e.Citations.Select(c => new SourceInput(c.Document, c.Quote)).ToList(),
            Recurrence = e.Recurrence is { } rule ? Series.RecurrenceInput.From(rule, e.ExceptDates) : null,
        };
        return input;
    }

    /// <summary>
    /// The stored body made ready for <paramref name="patch"/>, where merging member by member would give a rule two
    /// ends or two forms. A rule is read back as its parts: a patch's 'rrule' replaces them; a patch's 'count' replaces
    /// a stored 'until', and its 'until' a stored 'count'. Removed dates stay.
    /// </summary>
    public static EventInput ForPatch(EventInput stored, JsonObject patch)
    {
        if (stored.Recurrence is not { } rule || !patch.TryGetPropertyValue("recurrence", out var node) || node is not JsonObject recurrence)
        {
            return stored;
        }

        bool Names(string part) => recurrence.TryGetPropertyValue(part, out var value) && value is not null;

        if (Names("rrule"))
        {
            rule = new Series.RecurrenceInput { ExceptDates = rule.ExceptDates };
        }

        if (Names("count"))
        {
            rule = rule with { Until = null };
        }
        else if (Names("until"))
        {
            rule = rule with { Count = null };
        }

        return stored with { Recurrence = rule };
    }
}
