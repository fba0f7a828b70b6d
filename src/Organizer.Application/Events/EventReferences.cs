using Microsoft.EntityFrameworkCore;
using Organizer.Application.Access;
using Organizer.Application.Common.Security;
using Organizer.Application.Places;
using Organizer.Domain.Places;
using ValidationException = Organizer.Application.Common.Exceptions.ValidationException;

namespace Organizer.Application.Events;

/// <summary>
/// What an event body names by slug, looked up once: its organizations (the host included, by slug or alias) and
/// its place. A name that resolves to nothing the caller may see is a 400 naming its field, as any invalid value is.
/// </summary>
/// <param name="Names">
/// The slug and name of every organization found: those the body names, and the caller's own, which hosts what it
/// creates. Enough to answer a create without reading the event back.
/// </param>
internal sealed record EventReferences(
    IReadOnlyDictionary<string, Guid> Organizations, IReadOnlyDictionary<Guid, (string Slug, string Name)> Names, Place? Place, string Zone)
{
    public static async Task<EventReferences> ResolveAsync(IOrganizerDbContext db, EventDraft draft, Actor actor, CancellationToken cancellationToken)
    {
        var slugs = draft.OrganizationSlugs.Distinct().ToList();
        var own = actor.Kind == ActorKind.Organization ? actor.OrganizationId : null;
        // The ids first, as a union of index look-ups: one OR over the slugs and the aliases reads every organization.
        var ids = db.Organizations.Where(o => o.Id == own || slugs.Contains(o.Slug)).Select(o => o.Id)
            .Union(db.OrganizationAliases.Where(a => slugs.Contains(a.Slug)).Select(a => a.OrganizationId));
        var found = slugs.Count == 0 && own is null
            ? []
            : await db.Organizations.Where(o => ids.Contains(o.Id))
                .Select(o => new { o.Id, o.Slug, o.Name, Aliases = o.Aliases.Select(a => a.Slug).ToList() })
                .ToListAsync(cancellationToken);
        var organizations = new Dictionary<string, Guid>();
        var problems = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var slug in slugs)
        {
            if (found.FirstOrDefault(o => o.Slug == slug || o.Aliases.Contains(slug)) is { } organization)
            {
                organizations[slug] = organization.Id;
            }
            else
            {
                problems.Add(new("organizations", $"No organization '{slug}' exists."));
            }
        }

        // A place the caller may not see answers as one that does not exist.
        var place = draft.PlaceSlug is null
            ? null
            : await EventVisibility.PlacesVisibleTo(db, actor).FirstOrDefaultAsync(p => p.Slug == draft.PlaceSlug, cancellationToken);
        if (draft.PlaceSlug is not null && place is null)
        {
            problems.Add(new("place", $"No place '{draft.PlaceSlug}' exists; create it with 'newPlace' or POST /api/places."));
        }

        var zone = draft.TimeZone ?? place?.TimeZone ?? draft.NewPlace?.TimeZone;
        if (zone is null && (draft.PlaceSlug is null || place is not null))
        {
            problems.Add(new("timeZone", "'timeZone' is required (an IANA id such as America/Toronto) unless the place has one."));
        }

        return problems.Count > 0
            ? throw new ValidationException(problems)
            : new EventReferences(organizations, found.ToDictionary(o => o.Id, o => (o.Slug, o.Name)), place, zone!);
    }
}
