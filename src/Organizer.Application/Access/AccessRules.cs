using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;
using Organizer.Domain.Organizations;

namespace Organizer.Application.Access;

internal static class AccessRules
{
    public static void RequireAdmin(Actor actor, string what)
    {
        if (actor.IsAdmin)
        {
            return;
        }

        throw actor.IsAnonymous
            ? new UnauthorizedException($"{what} needs the admin token.")
            : new ForbiddenException($"Only the admin may do this: {what}.");
    }

    /// <summary>Loads an organization (slug or alias) that the actor may act for, tracked for changes.</summary>
    public static async Task<Organization> OrganizationForWriteAsync(IOrganizerDbContext db, string slug, Actor actor, CancellationToken cancellationToken)
    {
        if (actor.IsAnonymous)
        {
            throw new UnauthorizedException("This needs a token (Authorization: Bearer …).");
        }

        var organization = Slugs.IsWellFormed(slug) ? await db.Organizations.BySlugOrAlias(slug).FirstOrDefaultAsync(cancellationToken) : null;
        if (organization is null)
        {
            throw new NotFoundException("organization", slug);
        }

        if (!actor.ActsFor(organization.Id))
        {
            throw new ForbiddenException("A token acts only for its own organization.");
        }

        return organization;
    }
}
