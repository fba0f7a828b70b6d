using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common.Models;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Statements;
using Organizer.Application.Common.Links;
using Organizer.Application.Access;

namespace Organizer.Application.Organizations;

/// <summary>An organization by its slug or any of its alias slugs.</summary>
public sealed record GetOrganizationQuery(string Slug) : IQuery<OrganizationDetailDto>;

public sealed class GetOrganizationQueryHandler(IOrganizerDbContext db, ILinks links) : IQueryHandler<GetOrganizationQuery, OrganizationDetailDto>
{
    public async ValueTask<OrganizationDetailDto> Handle(GetOrganizationQuery query, CancellationToken cancellationToken) =>
        await new OrganizationDetails(db, links).ReadAsync(query.Slug, cancellationToken);
}

/// <summary>An organization as GET answers it, and as a write answers with once it is saved.</summary>
internal sealed class OrganizationDetails(IOrganizerDbContext db, ILinks links)
{
    public async Task<OrganizationDetailDto> ReadAsync(string requestedSlug, CancellationToken cancellationToken)
    {
        if (!Slugs.IsWellFormed(requestedSlug))
        {
            throw new NotFoundException("organization", requestedSlug);
        }

        var o = await db.Organizations.AsNoTracking().Include(o => o.Aliases)
            .BySlugOrAlias(requestedSlug)
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("organization", requestedSlug);

        var eventCount = await EventVisibility.ListedEvents(db).CountAsync(e => e.Participations.Any(p => p.OrganizationId == o.Id), cancellationToken);
        var statements = await db.Statements.AsNoTracking()
            .Where(s => s.Issuers.Any(i => i.OrganizationId == o.Id))
            .OrderByDescending(s => s.IssuedOn)
            .Select(StatementSummaryDto.Projection)
            .ToListAsync(cancellationToken);
        var sources = await db.LoadExpanderAsync(o.Citations, cancellationToken);

        return new OrganizationDetailDto(
            o.Slug,
            o.Name,
            o.Aliases.OrderBy(a => a.Name).Select(a => new AliasDto(a.Name, a.Slug)).ToList(),
            o.Kind,
            o.HomeCity,
            o.HomeCountryCode,
            o.Website,
            o.Description,
            eventCount,
            links.OrganizationFeeds(o.Slug),
            statements,
            sources(o.Citations));
    }
}
