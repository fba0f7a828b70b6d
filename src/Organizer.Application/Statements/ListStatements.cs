using Organizer.Application.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Organizer.Application.Statements;

public sealed record ListStatementsQuery : IQuery<IReadOnlyList<StatementSummaryDto>>, IReadsReplica;

public sealed class ListStatementsQueryHandler(IOrganizerDbContext db) : IQueryHandler<ListStatementsQuery, IReadOnlyList<StatementSummaryDto>>
{
    public async ValueTask<IReadOnlyList<StatementSummaryDto>> Handle(ListStatementsQuery query, CancellationToken cancellationToken) =>
        await db.Statements.AsNoTracking()
            .OrderByDescending(s => s.IssuedOn).ThenBy(s => s.Slug)
            .Select(StatementSummaryDto.Projection)
            .ToListAsync(cancellationToken);
}
