using System.Data;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Organizer.Application.Timeline;
using Organizer.Domain.Events;
using Organizer.Infrastructure.Persistence;

namespace Organizer.Infrastructure.ReadModels;

/// <summary>
/// An organization's summary in one round trip: the kept counts (a primary-key range each, a few hundred rows for the
/// biggest organization) and the four ends of its timeline. Counting its events per request took 0.9–1.8 s for the
/// biggest organization at a million events; see docs/performance.md.
/// </summary>
internal sealed class OrganizationSummaryQueries(OrganizerDbContext db) : IOrganizationSummaryQueries
{
    private static readonly string Listed = TimelineQueries.Listed;

    private const string EventCountsSql = "SELECT year, kind, events FROM organization_event_counts WHERE organization_id = @org AND events > 0";

    private const string StatementCountsSql = "SELECT year, statements FROM organization_statement_counts WHERE organization_id = @org AND statements > 0";

    // The ends of the timeline's indexes, (organization, sort_at, event) and (organization, sort_at, statement): a walk
    // from either end stops at the first listed event that is not a series. The kept count gates the event walks, so
    // that an organization without a listed event does not walk all of its unlisted ones to find none.
    private static readonly string EndsSql = $"""
        (SELECT 0 AS which, e.slug, e.title, e.start_date AS date, p.sort_at, e.id
         FROM event_participations p JOIN events e ON e.id = p.event_id
         WHERE p.organization_id = @org AND NOT p.is_series AND {Listed}
           AND (SELECT EXISTS (SELECT 1 FROM organization_event_counts c WHERE c.organization_id = @org AND c.events > 0))
         ORDER BY p.sort_at, p.event_id LIMIT 1)
        UNION ALL
        (SELECT 1, e.slug, e.title, e.start_date, p.sort_at, e.id
         FROM event_participations p JOIN events e ON e.id = p.event_id
         WHERE p.organization_id = @org AND NOT p.is_series AND {Listed}
           AND (SELECT EXISTS (SELECT 1 FROM organization_event_counts c WHERE c.organization_id = @org AND c.events > 0))
         ORDER BY p.sort_at DESC, p.event_id DESC LIMIT 1)
        UNION ALL
        (SELECT 2, s.slug, s.title, s.issued_on, i.sort_at, s.id
         FROM statement_issuers i JOIN statements s ON s.id = i.statement_id
         WHERE i.organization_id = @org
         ORDER BY i.sort_at, i.statement_id LIMIT 1)
        UNION ALL
        (SELECT 3, s.slug, s.title, s.issued_on, i.sort_at, s.id
         FROM statement_issuers i JOIN statements s ON s.id = i.statement_id
         WHERE i.organization_id = @org
         ORDER BY i.sort_at DESC, i.statement_id DESC LIMIT 1)
        """;

    public async Task<KeptSummary> ReadAsync(Guid organization, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        try
        {
            await using var batch = new NpgsqlBatch(connection);
            foreach (var sql in new[] { EventCountsSql, StatementCountsSql, EndsSql })
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.Add(new NpgsqlParameter("org", organization));
                batch.BatchCommands.Add(command);
            }

            // The same three statements for every organization: planned once per connection.
            await batch.PrepareAsync(cancellationToken);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

            var events = new List<KeptEventCount>();
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(new KeptEventCount(reader.GetInt32(0), StoredEnum.Parse<EventKind>(reader.GetString(1)), reader.GetInt32(2)));
            }

            await reader.NextResultAsync(cancellationToken);
            var statements = new List<KeptStatementCount>();
            while (await reader.ReadAsync(cancellationToken))
            {
                statements.Add(new KeptStatementCount(reader.GetInt32(0), reader.GetInt32(1)));
            }

            await reader.NextResultAsync(cancellationToken);
            var ends = new KeptEventEnd?[4];
            while (await reader.ReadAsync(cancellationToken))
            {
                var which = reader.GetInt32(0);
                ends[which] = new KeptEventEnd(
                    new ActionRefDto(
                        which < 2 ? TimelineItemType.Event : TimelineItemType.Statement,
                        reader.GetString(1),
                        reader.GetString(2),
                        reader.GetFieldValue<DateOnly>(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                    reader.GetFieldValue<DateTimeOffset>(4),
                    reader.GetGuid(5));
            }

            return new KeptSummary(events, statements, ends[0], ends[1], ends[2]?.Action, ends[3]?.Action);
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }
}
