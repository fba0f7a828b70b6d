using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Access;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

/// <summary>
/// Takes an organization off an event it is listed on as co-organizer, participant or endorser. Any host may name
/// others without asking them, as the news reports do; so the named organization's own tokens may always take its
/// name off again, as may the host and the admin.
/// </summary>
public sealed record WithdrawOrganizationCommand(string EventSlug, string OrganizationSlug, Actor Actor) : ICommand;

public sealed class WithdrawOrganizationCommandHandler(IOrganizerDbContext db, IChangeAuthorization access, TimeProvider clock) : ICommandHandler<WithdrawOrganizationCommand>
{
    public async ValueTask<Unit> Handle(WithdrawOrganizationCommand command, CancellationToken cancellationToken)
    {
        var e = Slugs.IsWellFormed(command.EventSlug)
            ? await db.Events.Include(x => x.Participations).FirstOrDefaultAsync(x => x.Slug == command.EventSlug.ToLowerInvariant(), cancellationToken)
            : null;
        if (e is null || !EventVisibility.MayView(e, command.Actor))
        {
            throw new NotFoundException("event", command.EventSlug);
        }

        var organizationId = Slugs.IsWellFormed(command.OrganizationSlug)
            ? await db.Organizations.BySlugOrAlias(command.OrganizationSlug).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(cancellationToken)
            : null;
        var participation = e.Participations.FirstOrDefault(p => p.OrganizationId == organizationId)
            ?? throw new NotFoundException("organization on this event", command.OrganizationSlug);

        await access.EnsureAllowedAsync(new Change.TakeOff(e, participation.OrganizationId), command.Actor);

        if (participation.Role == ParticipationRole.Host)
        {
            throw new ConflictException("The host is not taken off its own event; the admin may hand the event to another host, or delete it.");
        }

        e.Participations.Remove(participation);

        // The organizations are part of what subscribers see (CONTACT, DESCRIPTION): the event changed for them.
        e.UpdatedAt = clock.GetUtcNow();
        e.Sequence++;
        db.AuditEntries.Add(command.Actor.Audit("withdraw", "event", e.Id, $"{e.Slug} {command.OrganizationSlug}", clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
