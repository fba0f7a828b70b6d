using Organizer.Application.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common.Links;

namespace Organizer.Application.Organizations;

public sealed record ListOrganizationsQuery : IQuery<IReadOnlyList<OrganizationDto>>, IReadsReplica;

public sealed class ListOrganizationsQueryHandler(IOrganizerDbContext db, ILinks links) : IQueryHandler<ListOrganizationsQuery, IReadOnlyList<OrganizationDto>>
{
    public async ValueTask<IReadOnlyList<OrganizationDto>> Handle(ListOrganizationsQuery query, CancellationToken cancellationToken)
    {
        var organizations = await db.Organizations.AsNoTracking()
            .OrderBy(o => o.Name)
            .Select(o => new
            {
                o.Slug,
                o.Name,
                Aliases = o.Aliases.OrderBy(a => a.Name).Select(a => new AliasDto(a.Name, a.Slug)).ToList(),
                o.Kind,
                o.HomeCity,
                o.HomeCountryCode,
                o.Website,
                o.Description,
            })
            .ToListAsync(cancellationToken);

        return organizations
            .Select(o => new OrganizationDto(o.Slug, o.Name, o.Aliases, o.Kind, o.HomeCity, o.HomeCountryCode, o.Website, o.Description,
                links.OrganizationFeeds(o.Slug)))
            .ToList();
    }
}
