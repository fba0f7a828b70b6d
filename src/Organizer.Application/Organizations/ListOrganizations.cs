using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Organizer.Application.Organizations;

public sealed record ListOrganizationsQuery : IQuery<IReadOnlyList<OrganizationDto>>;

public sealed class ListOrganizationsQueryHandler(IOrganizerDbContext db) : IQueryHandler<ListOrganizationsQuery, IReadOnlyList<OrganizationDto>>
{
    public async ValueTask<IReadOnlyList<OrganizationDto>> Handle(ListOrganizationsQuery query, CancellationToken cancellationToken) =>
        await db.Organizations.AsNoTracking()
            .OrderBy(o => o.Name)
            .Select(o => new OrganizationDto(
                o.Slug,
                o.Name,
                o.Aliases.OrderBy(a => a.Name).Select(a => new AliasDto(a.Name, a.Slug)).ToList(),
                o.Kind,
                o.HomeCity,
                o.HomeCountryCode,
                o.Website,
                o.Description))
            .ToListAsync(cancellationToken);
}
