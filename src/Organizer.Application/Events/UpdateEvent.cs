using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;
using Organizer.Application.Common;
using Organizer.Application.Places;

namespace Organizer.Application.Events;

/// <summary>Replaces an event's fields (PUT, or PATCH after the merge patch is applied to the current body).</summary>
public sealed record UpdateEventCommand(string Slug, EventInput Input, uint? ExpectedVersion, Actor Actor) : ICommand<EventWriteResult>, IActorCommand;

public sealed class UpdateEventCommandValidator : AbstractValidator<UpdateEventCommand>
{
    public UpdateEventCommandValidator(IOrganizerDbContext db)
    {
        RuleFor(c => c.Input).SetValidator(new EventInputValidator(db));
        RuleFor(c => c).MustAsync((c, ct) => PlaceReference.IsVisibleAsync(db, c.Input.Place, c.Actor, ct))
            .OverridePropertyName("place").WithMessage(c => PlaceReference.Missing(c.Input.Place));
    }
}

public sealed class UpdateEventCommandHandler(IOrganizerDbContext db, TimeProvider clock) : ICommandHandler<UpdateEventCommand, EventWriteResult>
{
    public async ValueTask<EventWriteResult> Handle(UpdateEventCommand command, CancellationToken cancellationToken)
    {
        var e = await EventAccess.LoadForWriteAsync(db, command.Slug, command.Actor, command.ExpectedVersion, cancellationToken);
        var host = Access.EventVisibility.HostOf(e);
        if (command.Input.Host is { } hostSlug)
        {
            var named = await db.Organizations.BySlugOrAlias(hostSlug).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(cancellationToken);
            if (named != host && !command.Actor.IsAdmin)
            {
                throw new ForbiddenException("Only the admin may hand an event to another host.");
            }

            host = named;
        }

        // One transaction: a new place's slug stays locked until the place is committed with the event.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await new EventAssembler(db).ApplyAsync(e, command.Input, host, command.Actor, cancellationToken);

        // Organizations and speakers live in their own rows; the event itself still changed for its subscribers
        // (DESCRIPTION, CONTACT), so its last-change time moves too.
        e.UpdatedAt = clock.GetUtcNow();
        db.AuditEntries.Add(EventAssembler.Audit(command.Actor, "update", e, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new EventWriteResult(e.Slug, e.Version);
    }
}

/// <summary>The current event as a write body: what a merge patch is applied to.</summary>
public sealed record GetEventInputQuery(string Slug, Actor Actor) : IQuery<(EventInput Input, uint Version)>;

public sealed class GetEventInputQueryHandler(IOrganizerDbContext db) : IQueryHandler<GetEventInputQuery, (EventInput Input, uint Version)>
{
    public async ValueTask<(EventInput Input, uint Version)> Handle(GetEventInputQuery query, CancellationToken cancellationToken)
    {
        var e = await EventAccess.LoadForWriteAsync(db, query.Slug, query.Actor, null, cancellationToken);
        var place = e.PlaceId is { } placeId ? await db.Places.AsNoTracking().Where(p => p.Id == placeId).Select(p => p.Slug).FirstAsync(cancellationToken) : null;
        var parent = e.ParentId is { } parentId ? await db.Events.AsNoTracking().Where(p => p.Id == parentId).Select(p => p.Slug).FirstAsync(cancellationToken) : null;
        var organizationIds = e.Participations.Select(p => p.OrganizationId).ToList();
        var slugs = await db.Organizations.AsNoTracking().Where(o => organizationIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Slug, cancellationToken);
        var zone = Domain.Events.EventSchedule.FindZone(e.Schedule.TimeZone);

        string Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

        var input = new EventInput
        {
            Title = e.Title,
            Kind = Common.KebabEnum.ToKebab(e.Kind),
            Description = e.Description,
            AllDay = e.Schedule.AllDay,
            Start = e.Schedule.AllDay ? e.Schedule.StartDate.ToString("yyyy-MM-dd") : Local(e.Schedule.StartsAt!.Value),
            End = e.Schedule.AllDay ? e.Schedule.EndDate.ToString("yyyy-MM-dd") : e.Schedule.EndsAt is { } end ? Local(end) : null,
            TimeZone = e.Schedule.TimeZone,
            Place = place,
            OnlineUrl = e.OnlineUrl,
            Organizations = e.Participations.Where(p => p.Role != Domain.Events.ParticipationRole.Host)
                .Select(p => new ParticipationInput(slugs[p.OrganizationId], Common.KebabEnum.ToKebab(p.Role))).ToList(),
            Speakers = e.Speakers.OrderBy(s => s.Ordinal).Select(s => new SpeakerInput(s.Name, s.Affiliation, s.Role)).ToList(),
            Attendance = e.Attendance is { } a ? new AttendanceInput(a.Estimate, a.Reported) : null,
            Tags = e.Tags,
            Demands = e.Demands,
            Visibility = Common.KebabEnum.ToKebab(e.Visibility),
            Parent = parent,
            Sources = e.Citations.Select(c => new SourceInput(c.Document, c.Quote)).ToList(),
        };
        return (input, e.Version);
    }
}
