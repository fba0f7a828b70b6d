using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common.Models;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;

namespace Organizer.Application.Statements;

public sealed record GetStatementQuery(string Slug) : IQuery<StatementDto>;

public sealed class GetStatementQueryHandler(IOrganizerDbContext db) : IQueryHandler<GetStatementQuery, StatementDto>
{
    public async ValueTask<StatementDto> Handle(GetStatementQuery query, CancellationToken cancellationToken) =>
        await StatementDetails.ReadAsync(db, query.Slug, cancellationToken);
}

/// <summary>A statement as GET answers it, and as POST answers with once it is recorded.</summary>
internal static class StatementDetails
{
    public static async Task<StatementDto> ReadAsync(IOrganizerDbContext db, string requestedSlug, CancellationToken cancellationToken)
    {
        if (!Slugs.IsWellFormed(requestedSlug))
        {
            throw new NotFoundException("statement", requestedSlug);
        }

        var slug = requestedSlug.ToLowerInvariant();
        var s = await db.Statements.AsNoTracking()
            .Include(s => s.Issuers).ThenInclude(i => i.Organization)
            .Include(s => s.ReadAtEvent)
            .FirstOrDefaultAsync(s => s.Slug == slug, cancellationToken)
            ?? throw new NotFoundException("statement", requestedSlug);
        var sources = await db.LoadExpanderAsync(s.Citations, cancellationToken);

        return new StatementDto(
            s.Slug,
            s.Title,
            s.IssuedOn,
            s.DatePrecision,
            s.DateNote,
            s.Issuers.OrderBy(i => i.Ordinal).Select(i => new IssuerDto(i.Organization!.Slug, i.Organization.Name)).ToList(),
            s.Spokesperson,
            s.Summary,
            s.Text,
            s.ReadAtEvent is { } readAt && Access.EventVisibility.MayView(readAt, null) ? readAt.Slug : null,
            sources(s.Citations));
    }
}
