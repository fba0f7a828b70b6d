using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;
using Organizer.Domain.Organizations;

namespace Organizer.Application.Access;

internal static class OrganizationAccess
{
    /// <summary>Loads an organization (slug or alias) that the actor may act for, tracked for changes.</summary>
    public static async Task<Organization> LoadForWriteAsync(
        IOrganizerDbContext db, IChangeAuthorization access, string slug, Actor actor, CancellationToken cancellationToken)
    {
        var organization = Slugs.IsWellFormed(slug) ? await db.Organizations.BySlugOrAlias(slug).FirstOrDefaultAsync(cancellationToken) : null;
        if (organization is null)
        {
            throw new NotFoundException("organization", slug);
        }

        await access.EnsureAllowedAsync(new Change.ForOrganization(organization.Id), actor);
        return organization;
    }
}
