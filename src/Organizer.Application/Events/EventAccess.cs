using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

/// <summary>Who may change an event: the admin, or a token of the organization that hosts it.</summary>
internal static class EventAccess
{
    public static async Task<Event> LoadForWriteAsync(IOrganizerDbContext db, string slug, Actor actor, uint? expectedVersion, CancellationToken cancellationToken)
    {
        if (actor.IsAnonymous)
        {
            throw new UnauthorizedException("Changing an event needs a token (Authorization: Bearer …).");
        }

        var e = Slugs.IsWellFormed(slug)
            ? await db.Events.Include(x => x.Participations).Include(x => x.Speakers).FirstOrDefaultAsync(x => x.Slug == slug.ToLowerInvariant(), cancellationToken)
            : null;
        if (e is null)
        {
            throw new NotFoundException("event", slug);
        }

        if (!actor.IsAdmin && (HostOf(e) is not { } host || !actor.ActsFor(host)))
        {
            throw new ForbiddenException("Only the hosting organization's tokens (or the admin) may change this event.");
        }

        if (expectedVersion is { } expected && expected != e.Version)
        {
            throw new PreconditionFailedException("The event has changed since the version in If-Match; fetch it again and reapply your change.");
        }

        return e;
    }

    /// <summary>Public and unlisted events are for everyone; private and pending ones for the admin and the host's tokens.</summary>
    public static bool MayView(Event e, Actor? viewer) =>
        (e.Visibility != Visibility.Private && e.Status != EventStatus.Pending)
        || viewer?.IsAdmin == true
        || (viewer is { Kind: ActorKind.Organization } && HostOf(e) is { } host && viewer.ActsFor(host));

    public static Guid? HostOf(Event e) => e.Participations.FirstOrDefault(p => p.Role == ParticipationRole.Host)?.OrganizationId;
}
