using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Access;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;
using Organizer.Domain.Organizations;
using ValidationException = Organizer.Application.Common.Exceptions.ValidationException;

namespace Organizer.Application.Organizations;

/// <summary>Creates an organization (<paramref name="ExistingSlug"/> null) or replaces one's fields (PATCH, merged). Admin only.</summary>
public sealed record SaveOrganizationCommand(string? ExistingSlug, OrganizationInput Input, Actor Actor) : ICommand<string>, IActorCommand;

public sealed class SaveOrganizationCommandValidator : AbstractValidator<SaveOrganizationCommand>
{
    public SaveOrganizationCommandValidator() => RuleFor(c => c.Input).SetValidator(new OrganizationInputValidator());
}

public sealed class SaveOrganizationCommandHandler(IOrganizerDbContext db, TimeProvider clock) : ICommandHandler<SaveOrganizationCommand, string>
{
    public async ValueTask<string> Handle(SaveOrganizationCommand command, CancellationToken cancellationToken)
    {
        AccessRules.RequireAdmin(command.Actor, command.ExistingSlug is null ? "Creating an organization" : "Changing an organization");
        var input = command.Input;
        var allocator = new SlugAllocator(db);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await allocator.LockOrganizationSlugsAsync(cancellationToken);
        Organization organization;
        if (command.ExistingSlug is null)
        {
            organization = new Organization { Slug = "", Name = "" };
            organization.Slug = input.Slug ?? await allocator.OrganizationAsync(Slugs.From(input.Name!), organization.Id, cancellationToken);
            db.Organizations.Add(organization);
        }
        else
        {
            organization = await AccessRules.OrganizationForWriteAsync(db, command.ExistingSlug, command.Actor, cancellationToken);
            await db.OrganizationAliases.Where(a => a.OrganizationId == organization.Id).LoadAsync(cancellationToken);
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

        db.AuditEntries.Add(command.Actor.Audit(command.ExistingSlug is null ? "create" : "update", "organization", organization.Id, organization.Slug, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return organization.Slug;
    }

    /// <summary>An empty slug would resolve to nothing (and clash with the next one), so an alias the name gives none takes a random one.</summary>
    private static string AliasSlug(string name) =>
        Slugs.Truncate(Slugs.From(name), SlugAllocator.BaseLength) is { Length: > 0 } slug ? slug : Slugs.FromId(Guid.CreateVersion7());
}

/// <summary>An organization as a write body: what a merge patch is applied to.</summary>
public sealed record GetOrganizationInputQuery(string Slug, Actor Actor) : IQuery<OrganizationInput>;

public sealed class GetOrganizationInputQueryHandler(IOrganizerDbContext db) : IQueryHandler<GetOrganizationInputQuery, OrganizationInput>
{
    public async ValueTask<OrganizationInput> Handle(GetOrganizationInputQuery query, CancellationToken cancellationToken)
    {
        AccessRules.RequireAdmin(query.Actor, "Changing an organization");
        var o = await db.Organizations.AsNoTracking().Include(o => o.Aliases).BySlugOrAlias(query.Slug).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("organization", query.Slug);
        return new OrganizationInput
        {
            Slug = o.Slug,
            Name = o.Name,
            Aliases = o.Aliases.Select(a => new AliasInput(a.Name, a.Slug)).ToList(),
            Kind = o.Kind.ToKebab(),
            HomeCity = o.HomeCity,
            HomeCountryCode = o.HomeCountryCode,
            Website = o.Website,
            Description = o.Description,
        };
    }
}
