using System.Data;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Organizer.Application.Access;
using Organizer.Application.Timeline;
using Organizer.Domain.Events;
using Organizer.Infrastructure.Persistence;
using Organizer.Infrastructure.Persistence.Configurations;

namespace Organizer.Infrastructure.ReadModels;

/// <summary>
/// The timeline as one SQL statement: a top-N per source (events other than series through the ordered
/// (organization, sort_at, event) index, statements through the (organization, sort_at, statement) index, resolutions through the partial index of
/// participations in events that have resolutions), merged and cut to the page. Every branch names its columns
/// because any of them may be the first, whose names the union takes.
/// </summary>
internal sealed class TimelineQueries(OrganizerDbContext db) : ITimelineQueries
{
    /// <summary><see cref="Application.Access.EventVisibility.Listed"/>, in SQL, for an events table named <c>e</c>.</summary>
    internal static readonly string Listed =
        $"e.visibility = {StoredEnum.Literal(Visibility.Public)} AND e.status <> {StoredEnum.Literal(EventStatus.Pending)}";

    public async Task<IReadOnlyList<TimelineRow>> ActionsAsync(TimelineRequest request, CancellationToken cancellationToken)
    {
        var parameters = new List<NpgsqlParameter>
        {
            new("org", request.Organization),
            new("now", request.Now),
            new("n", request.Take),
        };
        var branches = new List<string>();
        var upcoming = request.Upcoming;
        var order = upcoming ? "ASC" : "DESC";
        var cmp = upcoming ? ">" : "<";
        var timeCondition = upcoming ? "{0} >= @now" : "{0} < @now";
        var cursor = request.After;

        if (cursor is { } c)
        {
            parameters.Add(new NpgsqlParameter("cs", c.SortAt));
            parameters.Add(new NpgsqlParameter("cseq", c.Seq));
            parameters.Add(new NpgsqlParameter("cid", c.Id));
        }

        // seq is null where it is always 0 (events, statements), which keeps their row comparison index-friendly.
        string After(string sortAt, string? seq, string id, int rank) => cursor is not { } c2 ? "TRUE"
            : c2.Rank == rank ? (seq is null ? $"({sortAt}, {id}) {cmp} (@cs, @cid)" : $"({sortAt}, {seq}, {id}) {cmp} (@cs, @cseq, @cid)")
            : (rank < c2.Rank) != upcoming ? $"{sortAt} {cmp}= @cs" : $"{sortAt} {cmp} @cs";

        var from = request.From;
        if (from is { } fromDate)
        {
            parameters.Add(new NpgsqlParameter("from", fromDate));
        }

        var to = request.To;
        if (to is { } toDate)
        {
            parameters.Add(new NpgsqlParameter("to", toDate));
        }

        var role = request.Role;
        if (role is { } r)
        {
            parameters.Add(new NpgsqlParameter("role", StoredEnum.Name(r)));
        }

        var kind = request.Kind;
        if (kind is { } k)
        {
            parameters.Add(new NpgsqlParameter("kind", StoredEnum.Name(k)));
        }

        if (request.Events)
        {
            branches.Add($"""
                (SELECT {TimelineRow.EventRank} AS rank, 0 AS seq, e.id AS id, e.slug AS slug, e.title AS title, p.sort_at AS sort_at, p.role AS role, e.kind AS kind,
                        e.all_day AS all_day, e.starts_at AS starts_at, e.ends_at AS ends_at, e.start_date AS start_date, e.end_date AS end_date,
                        e.time_zone AS time_zone, pl.name AS place_name, pl.city AS place_city, NULL::text AS event, e.status AS status
                 FROM event_participations p
                 JOIN events e ON e.id = p.event_id
                 LEFT JOIN places pl ON pl.id = e.place_id
                 WHERE p.organization_id = @org AND NOT p.is_series AND {Listed}
                   AND {string.Format(CultureInfo.InvariantCulture, timeCondition, "p.sort_at")} AND {After("p.sort_at", null, "p.event_id", TimelineRow.EventRank)}
                   {(from is not null ? "AND e.end_date >= @from" : "")} {(to is not null ? "AND e.start_date <= @to" : "")}
                   {(role is not null ? "AND p.role = @role" : "")} {(kind is not null ? "AND e.kind = @kind" : "")}
                 ORDER BY p.sort_at {order}, p.event_id {order} LIMIT @n)
                """);
        }

        if (request.Statements)
        {
            // i.sort_at is the statement's date at midnight UTC, kept by triggers (TimelineAndListIndexes migration):
            // the (organization, sort_at, statement) index gives the top N in order.
            branches.Add($"""
                (SELECT {TimelineRow.StatementRank} AS rank, 0 AS seq, i.statement_id AS id, s.slug AS slug, s.title AS title, i.sort_at AS sort_at, 'issuer' AS role,
                        NULL::text AS kind, TRUE AS all_day, NULL::timestamptz AS starts_at, NULL::timestamptz AS ends_at,
                        s.issued_on AS start_date, s.issued_on AS end_date, 'Etc/UTC' AS time_zone, NULL::text AS place_name,
                        NULL::text AS place_city, NULL::text AS event, NULL::text AS status
                 FROM statement_issuers i
                 JOIN statements s ON s.id = i.statement_id
                 WHERE i.organization_id = @org AND {string.Format(CultureInfo.InvariantCulture, timeCondition, "i.sort_at")} AND {After("i.sort_at", null, "i.statement_id", TimelineRow.StatementRank)}
                   {(from is not null ? "AND s.issued_on >= @from" : "")} {(to is not null ? "AND s.issued_on <= @to" : "")}
                 ORDER BY i.sort_at {order}, i.statement_id {order} LIMIT @n)
                """);
        }

        if (request.Resolutions)
        {
            branches.Add($"""
                (SELECT {TimelineRow.ResolutionRank} AS rank, r.ordinal AS seq, r.id AS id, e.slug || '#' || r.ordinal AS slug, r.title AS title, p.sort_at AS sort_at, p.role AS role,
                        e.kind AS kind, e.all_day AS all_day, e.starts_at AS starts_at, e.ends_at AS ends_at, e.start_date AS start_date,
                        e.end_date AS end_date, e.time_zone AS time_zone, pl.name AS place_name, pl.city AS place_city, e.slug AS event,
                        NULL::text AS status
                 FROM event_participations p
                 JOIN resolutions r ON r.event_id = p.event_id
                 JOIN events e ON e.id = p.event_id
                 LEFT JOIN places pl ON pl.id = e.place_id
                 WHERE p.organization_id = @org AND p.has_resolutions AND {Listed}
                   AND {string.Format(CultureInfo.InvariantCulture, timeCondition, "p.sort_at")} AND {After("p.sort_at", "r.ordinal", "r.id", TimelineRow.ResolutionRank)}
                   {(from is not null ? "AND e.end_date >= @from" : "")} {(to is not null ? "AND e.start_date <= @to" : "")}
                   {(role is not null ? "AND p.role = @role" : "")} {(kind is not null ? "AND e.kind = @kind" : "")}
                 ORDER BY p.sort_at {order}, r.ordinal {order}, r.id {order} LIMIT @n)
                """);
        }

        if (branches.Count == 0)
        {
            return [];
        }

        var sql = $"""
            SELECT * FROM ({string.Join("\nUNION ALL\n", branches)}) AS actions
            ORDER BY sort_at {order}, rank {order}, seq {order}, id {order}
            LIMIT @n
            """;
        return await ReadPreparedAsync(sql, parameters, cancellationToken);
    }

    // Shared listed events per pair of organizations are kept by triggers (organization_partners, the
    // KeptOrganizationSummaries migration). The biggest organization has ~10,000 partners at a million events: the top
    // ten counts, with ties, come from its primary-key range before the names are joined; the ties are ordered by
    // slug here, after the series' occurrences are added.
    private const string PartnersSql = """
        SELECT o.id AS id, o.slug AS slug, o.name AS name, top.shared_events AS shared_events
        FROM (SELECT partner_id, shared_events FROM organization_partners
              WHERE organization_id = @org AND shared_events > 0
              ORDER BY shared_events DESC
              FETCH FIRST 10 ROWS WITH TIES) AS top
        JOIN organizations o ON o.id = top.partner_id
        """;

    // The partners that share series with the organization: the single events they share with it, as kept, and their names.
    private const string SeriesPartnersSql = """
        SELECT o.id AS id, o.slug AS slug, o.name AS name, coalesce(k.shared_events, 0) AS shared_events
        FROM organizations o
        LEFT JOIN organization_partners k ON k.organization_id = @org AND k.partner_id = o.id
        WHERE o.id = ANY (@ids)
        """;

    public async Task<IReadOnlyList<PartnerDto>> PartnersAsync(Guid organization, IReadOnlyDictionary<Guid, int> throughSeries, CancellationToken cancellationToken)
    {
        var kept = await db.Database.SqlQueryRaw<PartnerRow>(PartnersSql, new NpgsqlParameter("org", organization)).ToListAsync(cancellationToken);

        // A partner outside the kept top ten (with ties) that shares no series cannot overtake its tenth: only the
        // kept top and the series' partners can be in the top ten of the sums.
        var sharing = throughSeries.Count == 0
            ? []
            : await db.Database.SqlQueryRaw<PartnerRow>(
                    SeriesPartnersSql, new NpgsqlParameter("org", organization), new NpgsqlParameter("ids", throughSeries.Keys.ToArray()))
                .ToListAsync(cancellationToken);
        return kept.Where(k => !throughSeries.ContainsKey(k.Id))
            .Select(p => new PartnerDto(p.Slug, p.Name, p.SharedEvents))
            .Concat(sharing.Select(p => new PartnerDto(p.Slug, p.Name, p.SharedEvents + throughSeries[p.Id])))
            .Where(p => p.SharedEvents > 0)
            .OrderByDescending(p => p.SharedEvents).ThenBy(p => p.Slug, StringComparer.Ordinal)
            .Take(10)
            .ToList();
    }

    // The organization's series through the partial index over its series participations (SeriesInTheRecord
    // migration: the semi-join starts there), with what expanding and showing them needs, in one round trip.
    public async Task<IReadOnlyList<OrganizationSeries>> SeriesAsync(Guid organization, CancellationToken cancellationToken)
    {
        var series = await db.Events
            .Where(e => e.Participations.Any(p => p.OrganizationId == organization && EF.Property<bool>(p, EventParticipationConfiguration.IsSeries)))
            .AsNoTracking()
            .AsSingleQuery()
            .Include(e => e.Place)
            .Include(e => e.Overrides).ThenInclude(o => o.Place)
            .Include(e => e.Participations)
            .Where(EventVisibility.Listed)
            .Where(e => e.Recurrence != null)
            .OrderBy(e => e.Id)
            .ToListAsync(cancellationToken);
        return series.Select(s => new OrganizationSeries(s, s.Participations.Single(p => p.OrganizationId == organization).Role)).ToList();
    }

    /// <summary>
    /// Runs the page's statement prepared. Its text depends only on which filters are set, so each shape is planned
    /// once per connection (Npgsql keeps prepared statements across pooled uses) instead of on every page: planning
    /// the three-branch union was about 2 ms of a 7 ms page at a million events.
    /// </summary>
    private async Task<List<TimelineRow>> ReadPreparedAsync(string sql, List<NpgsqlParameter> parameters, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddRange(parameters.ToArray());
            await command.PrepareAsync(cancellationToken);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<TimelineRow>();
            while (await reader.ReadAsync(cancellationToken))
            {
                T Get<T>(string column) => reader.GetFieldValue<T>(reader.GetOrdinal(column));
                T? Maybe<T>(string column) where T : class => reader.IsDBNull(reader.GetOrdinal(column)) ? null : Get<T>(column);
                DateTimeOffset? MaybeInstant(string column) => reader.IsDBNull(reader.GetOrdinal(column)) ? null : Get<DateTimeOffset>(column);
                var rank = Get<int>("rank");
                rows.Add(new TimelineRow
                {
                    Rank = rank,
                    Seq = Get<int>("seq"),
                    Id = Get<Guid>("id"),
                    Slug = Get<string>("slug"),
                    Title = Get<string>("title"),
                    SortAt = Get<DateTimeOffset>("sort_at"),
                    // A statement's role column is the literal 'issuer', not a stored participation role.
                    Role = rank == TimelineRow.StatementRank ? null : StoredEnum.Parse<ParticipationRole>(Get<string>("role")),
                    Kind = Maybe<string>("kind") is { } kind ? StoredEnum.Parse<EventKind>(kind) : null,
                    AllDay = Get<bool>("all_day"),
                    StartsAt = MaybeInstant("starts_at"),
                    EndsAt = MaybeInstant("ends_at"),
                    StartDate = Get<DateOnly>("start_date"),
                    EndDate = Get<DateOnly>("end_date"),
                    TimeZone = Get<string>("time_zone"),
                    PlaceName = Maybe<string>("place_name"),
                    PlaceCity = Maybe<string>("place_city"),
                    Event = Maybe<string>("event"),
                    Status = Maybe<string>("status") is { } status ? StoredEnum.Parse<EventStatus>(status) : null,
                });
            }

            return rows;
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    /// <summary>A row of the partners queries; the snake_case column aliases map to these names.</summary>
    private sealed class PartnerRow
    {
        public Guid Id { get; init; }
        public string Slug { get; init; } = "";
        public string Name { get; init; } = "";
        public int SharedEvents { get; init; }
    }

}
