using Microsoft.EntityFrameworkCore;
using Organizer.Application.Access;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

/// <summary>Loads an event for a change: <see cref="EventVisibility"/> first (404), then <see cref="ChangeRules"/> (403).</summary>
internal static class EventAccess
{
    public static async Task<Event> LoadForWriteAsync(
        IOrganizerDbContext db, IChangeAuthorization access, string slug, Actor actor, uint? expectedVersion, CancellationToken cancellationToken)
    {
        // One statement: the event and its short lists as of one moment, which a split query (a statement
        // each, outside the write's transaction) would not give. Saying so also keeps EF from warning on every load.
        var e = Slugs.IsWellFormed(slug)
            ? await db.Events.Include(x => x.Participations).Include(x => x.Speakers).Include(x => x.Overrides).AsSingleQuery()
                .FirstOrDefaultAsync(x => x.Slug == slug.ToLowerInvariant(), cancellationToken)
            : null;

        // An event the caller may not see answers exactly as one that does not exist: a 403 would confirm it.
        if (e is null || !EventVisibility.MayView(e, actor))
        {
            throw new NotFoundException("event", slug);
        }

        await access.EnsureAllowedAsync(new Change.OfEvent(e), actor);
        RequireVersion(e, expectedVersion);
        return e;
    }

    /// <summary>Refuses to overwrite a change the client has not seen (If-Match).</summary>
    public static void RequireVersion(Event e, uint? expectedVersion)
    {
        if (expectedVersion is { } expected && expected != e.Version)
        {
            throw new PreconditionFailedException("The event has changed since the version in If-Match; fetch it again and reapply your change.");
        }
    }
}
