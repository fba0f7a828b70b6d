using System.Text.Json.Nodes;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Access;
using Organizer.Application.Common;
using Organizer.Application.Common.Behaviours;
using Organizer.Application.Common.Links;
using Organizer.Application.Common.Security;
using Organizer.Domain.Organizations;

namespace Organizer.Application.Organizations;

/// <summary>Changes some fields of an organization (JSON Merge Patch). Admin only.</summary>
public sealed record PatchOrganizationCommand(string Slug, JsonObject Patch, Actor Actor) : ICommand<OrganizationDetailDto>;

public sealed class PatchOrganizationCommandHandler(IOrganizerDbContext db, IChangeAuthorization access, TimeProvider clock, ILinks links)
    : ICommandHandler<PatchOrganizationCommand, OrganizationDetailDto>
{
    public async ValueTask<OrganizationDetailDto> Handle(PatchOrganizationCommand command, CancellationToken cancellationToken)
    {
        var organization = await OrganizationAccess.LoadForWriteAsync(db, access, command.Slug, command.Actor, cancellationToken);
        await db.OrganizationAliases.Where(a => a.OrganizationId == organization.Id).LoadAsync(cancellationToken);
        var patched = MergePatch.ApplyTo(StoredOrganizationInput.From(organization), command.Patch);

        // The body exists only now, so the pipeline could not check it: the rules of a posted body run here.
        await Validators.ThrowIfInvalidAsync([new OrganizationInputValidator()], patched, cancellationToken);
        var slug = await new OrganizationWriter(db, clock).SaveAsync(organization, patched, command.Actor, cancellationToken);
        return await new OrganizationDetails(db, links).ReadAsync(slug, cancellationToken);
    }
}

/// <summary>An organization as a write body: what a merge patch is applied to.</summary>
internal static class StoredOrganizationInput
{
    public static OrganizationInput From(Organization o) =>
        new()
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
