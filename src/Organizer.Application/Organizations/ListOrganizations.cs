using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common.Links;

namespace Organizer.Application.Organizations;

/// <param name="BaseUrl">The public base URL the feed links are built on.</param>
public sealed record ListOrganizationsQuery(string BaseUrl) : IQuery<IReadOnlyList<OrganizationDto>>;

public sealed class ListOrganizationsQueryHandler(IOrganizerDbContext db) : IQueryHandler<ListOrganizationsQuery, IReadOnlyList<OrganizationDto>>
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
                OrganizationFeedLinksDto.For(query.BaseUrl, o.Slug)))
            .ToList();
    }
}
