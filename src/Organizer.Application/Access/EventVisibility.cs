using Microsoft.EntityFrameworkCore;
using System.Linq.Expressions;
using Organizer.Application.Common.Security;
using Organizer.Domain.Events;
using Organizer.Domain.Places;

namespace Organizer.Application.Access;

/// <summary>
/// Who may see an event, and so its place and city: the one rule that single reads, lists, feeds, search, the
/// timeline, places and cities all apply, so that no route can show what another hides.
/// <list type="bullet">
/// <item>Listed (public and not pending): everyone, in every list, feed, count and search.</item>
/// <item>Unlisted and not pending: everyone who has its link (single reads), in no list.</item>
/// <item>Private or pending: the admin, and tokens of the organizations listed on it (host, co-organizers,
/// participants, endorsers). The listing organization chose to tell them.</item>
/// </list>
/// A place, and the city it names, is public only while a listed event uses it, or when the admin recorded it as a
/// public place; otherwise only those who may see an event at it (or the organization that recorded it) see it.
/// Who may change what they see is <see cref="ChangeRules"/>.
/// </summary>
public static class EventVisibility
{
    /// <summary>Events anyone may find: public and not waiting for moderation.</summary>
    public static readonly Expression<Func<Event, bool>> Listed =
        e => e.Visibility == Visibility.Public && e.Status != EventStatus.Pending;

    /// <summary>Events anyone may see in lists, feeds, counts and search, read without tracking.</summary>
    public static IQueryable<Event> ListedEvents(IOrganizerDbContext db) => db.Events.AsNoTracking().Where(Listed);

    /// <summary>The events <paramref name="viewer"/> may read by their link.</summary>
    public static Expression<Func<Event, bool>> VisibleTo(Actor? viewer)
    {
        if (viewer?.IsAdmin == true)
        {
            return e => true;
        }

        if (viewer is { Kind: ActorKind.Organization, OrganizationId: { } organization })
        {
            return e => (e.Visibility != Visibility.Private && e.Status != EventStatus.Pending)
                || e.Participations.Any(p => p.OrganizationId == organization);
        }

        return e => e.Visibility != Visibility.Private && e.Status != EventStatus.Pending;
    }

    /// <summary>The same rule as <see cref="VisibleTo"/>, for an event loaded with its participations.</summary>
    public static bool MayView(Event e, Actor? viewer) =>
        (e.Visibility != Visibility.Private && e.Status != EventStatus.Pending)
        || viewer?.IsAdmin == true
        || (viewer is { Kind: ActorKind.Organization, OrganizationId: { } organization } && e.Participations.Any(p => p.OrganizationId == organization));

    public static Guid? HostOf(Event e) => e.Participations.FirstOrDefault(p => p.Role == ParticipationRole.Host)?.OrganizationId;

    /// <summary>
    /// Places anyone may see: recorded public by the admin, or used by a listed event, one of its occurrences included
    /// (a date of a public series moved elsewhere makes that place public as the series' own place is; a private
    /// series' never does).
    /// </summary>
    public static IQueryable<Place> PublicPlaces(IOrganizerDbContext db) =>
        db.Places.Where(p => p.IsPublic
            || db.Events.Any(e => e.PlaceId == p.Id && e.Visibility == Visibility.Public && e.Status != EventStatus.Pending)
            || db.OccurrenceOverrides.Any(o => o.PlaceId == p.Id
                && db.Events.Any(e => e.Id == o.EventId && e.Visibility == Visibility.Public && e.Status != EventStatus.Pending)));

    /// <summary>The places <paramref name="viewer"/> may see, and so name by slug in an event.</summary>
    public static IQueryable<Place> PlacesVisibleTo(IOrganizerDbContext db, Actor? viewer)
    {
        if (viewer?.IsAdmin == true)
        {
            return db.Places;
        }

        if (viewer is { Kind: ActorKind.Organization, OrganizationId: { } organization })
        {
            // The events at a place and the dates moved to it are two lookups by place, each on its own index; one
            // condition over both ("its place or one of its dates' places") would read every event.
            return db.Places.Where(p => p.IsPublic
                || p.RecordedById == organization
                || db.Events.Any(e => e.PlaceId == p.Id
                    && ((e.Visibility == Visibility.Public && e.Status != EventStatus.Pending)
                        || e.Participations.Any(x => x.OrganizationId == organization)))
                || db.OccurrenceOverrides.Any(o => o.PlaceId == p.Id
                    && db.Events.Any(e => e.Id == o.EventId
                        && ((e.Visibility == Visibility.Public && e.Status != EventStatus.Pending)
                            || e.Participations.Any(x => x.OrganizationId == organization)))));
        }

        return PublicPlaces(db);
    }
}
