using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;
using Organizer.Domain.Organizations;
using ValidationException = Organizer.Application.Common.Exceptions.ValidationException;

namespace Organizer.Application.Organizations;

/// <summary>Writes a validated body to a new organization (<paramref name="existing"/> null) or to a loaded one.</summary>
internal sealed class OrganizationWriter(IOrganizerDbContext db, TimeProvider clock)
{
    /// <returns>The organization's slug after the write.</returns>
    public async Task<string> SaveAsync(Organization? existing, OrganizationInput input, Actor actor, CancellationToken cancellationToken)
    {
        var allocator = new SlugAllocator(db);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await allocator.LockOrganizationSlugsAsync(cancellationToken);
        Organization organization;
        if (existing is null)
        {
            organization = new Organization { Slug = "", Name = "" };
            organization.Slug = input.Slug ?? await allocator.OrganizationAsync(Slugs.From(input.Name!), organization.Id, cancellationToken);
            db.Organizations.Add(organization);
        }
        else
        {
            organization = existing;
            organization.Slug = input.Slug ?? organization.Slug;
        }

        organization.Name = input.Name!.Trim();
        organization.Kind = KebabEnum.TryParse<OrganizationKind>(input.Kind, out var kind) ? kind : OrganizationKind.Other;
        organization.HomeCity = input.HomeCity;
        organization.HomeCountryCode = input.HomeCountryCode?.ToUpperInvariant();
        organization.Website = input.Website;
        organization.Description = input.Description;

        var aliases = (input.Aliases ?? []).Select(a => new { Name = a.Name!.Trim(), Slug = a.Slug ?? AliasSlug(a.Name!) }).ToList();
        organization.Aliases.RemoveAll(a => !aliases.Any(x => x.Slug == a.Slug));
        foreach (var alias in aliases.Where(a => !organization.Aliases.Any(x => x.Slug == a.Slug)))
        {
            organization.Aliases.Add(new OrganizationAlias { OrganizationId = organization.Id, Name = alias.Name, Slug = alias.Slug });
        }

        // Organization and alias slugs share one namespace: any of them must resolve to exactly one organization.
        var slugs = aliases.Select(a => a.Slug).Append(organization.Slug).ToList();
        if (slugs.Distinct().Count() != slugs.Count)
        {
            throw new ValidationException("aliases", "The slug and alias slugs must all differ.");
        }

        if (await db.Organizations.AnyAsync(o => o.Id != organization.Id && (slugs.Contains(o.Slug) || o.Aliases.Any(a => slugs.Contains(a.Slug))), cancellationToken))
        {
            throw new ConflictException("Another organization already uses one of these slugs: " + string.Join(", ", slugs) + ".");
        }

        db.AuditEntries.Add(actor.Audit(existing is null ? "create" : "update", "organization", organization.Id, organization.Slug, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return organization.Slug;
    }

    /// <summary>An empty slug would resolve to nothing (and clash with the next one), so an alias the name gives none takes a random one.</summary>
    private static string AliasSlug(string name) =>
        Slugs.Truncate(Slugs.From(name), SlugAllocator.BaseLength) is { Length: > 0 } slug ? slug : Slugs.FromId(Guid.CreateVersion7());
}
