using System.Data;
using System.Globalization;
using System.Text;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Organizer.Application.Common;
using Organizer.Application.Common.Models;
using Organizer.Application.Common.Validation;
using Organizer.Application.Events;
using Organizer.Domain.Events;

namespace Organizer.Application.Timeline;

public enum TimelineItemType
{
    Event,
    Statement,
    Resolution,
}

public sealed record TimelinePlaceDto(string Name, string? City);

/// <summary>
/// One action in an organization's record. <c>role</c> is the organization's part in it (for a statement,
/// "issuer"); <c>event</c> names the assembly a resolution was adopted at.
/// </summary>
public sealed record TimelineItemDto(
    TimelineItemType Type,
    string Slug,
    string Title,
    string Date,
    bool? AllDay,
    string? Start,
    string? End,
    string Role,
    string? Kind,
    TimelinePlaceDto? Place,
    string? Event);

public sealed record TimelinePageDto(string Organization, IReadOnlyList<TimelineItemDto> Items, string? NextCursor);

/// <summary>What an organization has done (or will do): events in any role, statements it issued, resolutions adopted
/// at assemblies it took part in. Past actions newest first; upcoming ones soonest first.</summary>
public sealed record GetTimelineQuery(
    string Slug,
    string? When = null,
    string? From = null,
    string? To = null,
    string? Kind = null,
    string? Role = null,
    string? Type = null,
    string? Limit = null,
    string? Cursor = null) : IQuery<TimelinePageDto>;

public sealed class GetTimelineQueryValidator : AbstractValidator<GetTimelineQuery>
{
    public GetTimelineQueryValidator()
    {
        RuleFor(q => q.When).Must(w => w is "past" or "upcoming").When(q => q.When is not null)
            .OverridePropertyName("when").WithMessage("'when' must be 'past' (the default) or 'upcoming'.");
        RuleFor(q => q.From).Must(v => Times.TryBoundedDate(v, out _)).When(q => q.From is not null)
            .OverridePropertyName("from").WithMessage($"'from' must be a date in the form YYYY-MM-DD, in the years {DateBounds.Range}.");
        RuleFor(q => q.To).Must(v => Times.TryBoundedDate(v, out _)).When(q => q.To is not null)
            .OverridePropertyName("to").WithMessage($"'to' must be a date in the form YYYY-MM-DD, in the years {DateBounds.Range}.");
        RuleFor(q => q.Kind).Must(v => KebabEnum.TryParse<EventKind>(v, out _)).When(q => q.Kind is not null)
            .OverridePropertyName("kind").WithMessage($"'kind' must be one of: {KebabEnum.Allowed<EventKind>()}.");
        RuleFor(q => q.Role).Must(v => v == "issuer" || KebabEnum.TryParse<ParticipationRole>(v, out _)).When(q => q.Role is not null)
            .OverridePropertyName("role").WithMessage($"'role' must be one of: {KebabEnum.Allowed<ParticipationRole>()}, issuer.");
        RuleFor(q => q.Type).Must(v => KebabEnum.TryParse<TimelineItemType>(v, out _)).When(q => q.Type is not null)
            .OverridePropertyName("type").WithMessage($"'type' must be one of: {KebabEnum.Allowed<TimelineItemType>()}.");
        RuleFor(q => q.Limit).Must(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 200).When(q => q.Limit is not null)
            .OverridePropertyName("limit").WithMessage("'limit' must be a whole number from 1 to 200.");
        RuleFor(q => q.Cursor).Must(c => TimelineCursor.TryDecode(c, out _)).When(q => q.Cursor is not null)
            .OverridePropertyName("cursor").WithMessage("'cursor' is not a cursor this server issued; use the nextCursor of a previous page.");
    }
}

/// <summary>
/// One SQL statement: a top-N per source (events through the ordered (organization, sort_at, event) index,
/// statements through the (organization, sort_at, statement) index, resolutions through the partial index of
/// participations in events that have resolutions), merged and cut to the page. Every branch names its columns
/// because any of them may be the first, whose names the union takes. Keyset on (instant, type, ordinal, id) so that
/// actions added between pages never make one skip or repeat.
/// </summary>
public sealed class GetTimelineQueryHandler(IOrganizerDbContext db, TimeProvider clock) : IQueryHandler<GetTimelineQuery, TimelinePageDto>
{
    public async ValueTask<TimelinePageDto> Handle(GetTimelineQuery query, CancellationToken cancellationToken)
    {
        var organization = await db.Organizations.FindRefAsync(query.Slug, cancellationToken);

        var upcoming = query.When == "upcoming";
        var limit = query.Limit is null ? 50 : int.Parse(query.Limit, CultureInfo.InvariantCulture);
        var type = KebabEnum.TryParse<TimelineItemType>(query.Type, out var t) ? t : (TimelineItemType?)null;
        TimelineCursor? cursor = TimelineCursor.TryDecode(query.Cursor, out var decoded) ? decoded : null;

        var parameters = new List<NpgsqlParameter>
        {
            new("org", organization.Id),
            new("now", clock.GetUtcNow()),
            new("n", limit + 1),
        };
        var branches = new List<string>();
        var order = upcoming ? "ASC" : "DESC";
        var cmp = upcoming ? ">" : "<";
        var timeCondition = upcoming ? "{0} >= @now" : "{0} < @now";

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

        var filters = new StringBuilder();
        if (Times.TryBoundedDate(query.From, out var from))
        {
            parameters.Add(new NpgsqlParameter("from", from));
        }

        if (Times.TryBoundedDate(query.To, out var to))
        {
            parameters.Add(new NpgsqlParameter("to", to));
        }

        var role = query.Role is null or "issuer" ? null : (ParticipationRole?)(KebabEnum.TryParse<ParticipationRole>(query.Role, out var r) ? r : null);
        if (role is not null)
        {
            parameters.Add(new NpgsqlParameter("role", role.ToString()));
        }

        var kind = KebabEnum.TryParse<EventKind>(query.Kind, out var k) ? k.ToString() : null;
        if (kind is not null)
        {
            parameters.Add(new NpgsqlParameter("kind", kind));
        }

        if (type is null or TimelineItemType.Event && query.Role != "issuer")
        {
            branches.Add($"""
                (SELECT 3 AS rank, 0 AS seq, e.id AS id, e.slug AS slug, e.title AS title, p.sort_at AS sort_at, p.role AS role, e.kind AS kind,
                        e.all_day AS all_day, e.starts_at AS starts_at, e.ends_at AS ends_at, e.start_date AS start_date, e.end_date AS end_date,
                        e.time_zone AS time_zone, pl.name AS place_name, pl.city AS place_city, NULL::text AS event
                 FROM event_participations p
                 JOIN events e ON e.id = p.event_id
                 LEFT JOIN places pl ON pl.id = e.place_id
                 WHERE p.organization_id = @org AND e.visibility = 'Public' AND e.status <> 'Pending'
                   AND {string.Format(CultureInfo.InvariantCulture, timeCondition, "p.sort_at")} AND {After("p.sort_at", null, "p.event_id", 3)}
                   {(from != default ? "AND e.end_date >= @from" : "")} {(to != default ? "AND e.start_date <= @to" : "")}
                   {(role is not null ? "AND p.role = @role" : "")} {(kind is not null ? "AND e.kind = @kind" : "")}
                 ORDER BY p.sort_at {order}, p.event_id {order} LIMIT @n)
                """);
        }

        if (type is null or TimelineItemType.Statement && kind is null && role is null)
        {
            // i.sort_at is the statement's date at midnight UTC, kept by triggers (TimelineAndListIndexes migration):
            // the (organization, sort_at, statement) index gives the top N in order.
            branches.Add($"""
                (SELECT 2 AS rank, 0 AS seq, i.statement_id AS id, s.slug AS slug, s.title AS title, i.sort_at AS sort_at, 'issuer' AS role,
                        NULL::text AS kind, TRUE AS all_day, NULL::timestamptz AS starts_at, NULL::timestamptz AS ends_at,
                        s.issued_on AS start_date, s.issued_on AS end_date, 'Etc/UTC' AS time_zone, NULL::text AS place_name,
                        NULL::text AS place_city, NULL::text AS event
                 FROM statement_issuers i
                 JOIN statements s ON s.id = i.statement_id
                 WHERE i.organization_id = @org AND {string.Format(CultureInfo.InvariantCulture, timeCondition, "i.sort_at")} AND {After("i.sort_at", null, "i.statement_id", 2)}
                   {(from != default ? "AND s.issued_on >= @from" : "")} {(to != default ? "AND s.issued_on <= @to" : "")}
                 ORDER BY i.sort_at {order}, i.statement_id {order} LIMIT @n)
                """);
        }

        if (type is null or TimelineItemType.Resolution && query.Role != "issuer" && (kind is null || kind == nameof(EventKind.Assembly) || kind == nameof(EventKind.Conference)))
        {
            branches.Add($"""
                (SELECT 1 AS rank, r.ordinal AS seq, r.id AS id, e.slug || '#' || r.ordinal AS slug, r.title AS title, p.sort_at AS sort_at, p.role AS role,
                        e.kind AS kind, e.all_day AS all_day, e.starts_at AS starts_at, e.ends_at AS ends_at, e.start_date AS start_date,
                        e.end_date AS end_date, e.time_zone AS time_zone, pl.name AS place_name, pl.city AS place_city, e.slug AS event
                 FROM event_participations p
                 JOIN resolutions r ON r.event_id = p.event_id
                 JOIN events e ON e.id = p.event_id
                 LEFT JOIN places pl ON pl.id = e.place_id
                 WHERE p.organization_id = @org AND p.has_resolutions AND e.visibility = 'Public' AND e.status <> 'Pending'
                   AND {string.Format(CultureInfo.InvariantCulture, timeCondition, "p.sort_at")} AND {After("p.sort_at", "r.ordinal", "r.id", 1)}
                   {(from != default ? "AND e.end_date >= @from" : "")} {(to != default ? "AND e.start_date <= @to" : "")}
                   {(role is not null ? "AND p.role = @role" : "")} {(kind is not null ? "AND e.kind = @kind" : "")}
                 ORDER BY p.sort_at {order}, r.ordinal {order}, r.id {order} LIMIT @n)
                """);
        }

        if (branches.Count == 0)
        {
            return new TimelinePageDto(organization.Slug, [], null);
        }

        var sql = $"""
            SELECT * FROM ({string.Join("\nUNION ALL\n", branches)}) AS actions
            ORDER BY sort_at {order}, rank {order}, seq {order}, id {order}
            LIMIT @n
            """;
        var rows = await ReadPreparedAsync(sql, parameters, cancellationToken);

        var next = rows.Count > limit ? new TimelineCursor(rows[limit - 1].SortAt, rows[limit - 1].Rank, rows[limit - 1].Seq, rows[limit - 1].Id).Encode() : null;
        return new TimelinePageDto(organization.Slug, rows.Take(limit).Select(ToDto).ToList(), next);
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
                rows.Add(new TimelineRow
                {
                    Rank = Get<int>("rank"),
                    Seq = Get<int>("seq"),
                    Id = Get<Guid>("id"),
                    Slug = Get<string>("slug"),
                    Title = Get<string>("title"),
                    SortAt = Get<DateTimeOffset>("sort_at"),
                    Role = Get<string>("role"),
                    Kind = Maybe<string>("kind"),
                    AllDay = Get<bool>("all_day"),
                    StartsAt = MaybeInstant("starts_at"),
                    EndsAt = MaybeInstant("ends_at"),
                    StartDate = Get<DateOnly>("start_date"),
                    EndDate = Get<DateOnly>("end_date"),
                    TimeZone = Get<string>("time_zone"),
                    PlaceName = Maybe<string>("place_name"),
                    PlaceCity = Maybe<string>("place_city"),
                    Event = Maybe<string>("event"),
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

    private static TimelineItemDto ToDto(TimelineRow row)
    {
        var itemType = row.Rank switch { 3 => TimelineItemType.Event, 2 => TimelineItemType.Statement, _ => TimelineItemType.Resolution };
        var date = row.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (itemType == TimelineItemType.Statement)
        {
            return new TimelineItemDto(itemType, row.Slug, row.Title, date, null, null, null, "issuer", null, null, null);
        }

        var schedule = row.AllDay
            ? EventSchedule.AllDayRange(row.StartDate, row.EndDate, row.TimeZone)
            : EventSchedule.Timed(
                TimeZoneInfo.ConvertTime(row.StartsAt!.Value, EventSchedule.FindZone(row.TimeZone)).DateTime,
                row.EndsAt is { } end ? TimeZoneInfo.ConvertTime(end, EventSchedule.FindZone(row.TimeZone)).DateTime : null,
                row.TimeZone);
        var (start, endText) = ScheduleFormat.Format(schedule);
        return new TimelineItemDto(
            itemType,
            row.Slug,
            row.Title,
            date,
            row.AllDay,
            start,
            endText,
            Enum.TryParse<ParticipationRole>(row.Role, out var role) ? role.ToKebab() : row.Role,
            row.Kind is not null && Enum.TryParse<EventKind>(row.Kind, out var kind) ? kind.ToKebab() : null,
            row.PlaceName is null ? null : new TimelinePlaceDto(row.PlaceName, row.PlaceCity),
            row.Event);
    }
}

/// <summary>A row of the timeline's union.</summary>
internal sealed class TimelineRow
{
    public int Rank { get; init; }
    public int Seq { get; init; }
    public Guid Id { get; init; }
    public string Slug { get; init; } = "";
    public string Title { get; init; } = "";
    public DateTimeOffset SortAt { get; init; }
    public string Role { get; init; } = "";
    public string? Kind { get; init; }
    public bool AllDay { get; init; }
    public DateTimeOffset? StartsAt { get; init; }
    public DateTimeOffset? EndsAt { get; init; }
    public DateOnly StartDate { get; init; }
    public DateOnly EndDate { get; init; }
    public string TimeZone { get; init; } = "";
    public string? PlaceName { get; init; }
    public string? PlaceCity { get; init; }
    public string? Event { get; init; }
}

/// <summary>Where a page ended. <c>Seq</c> orders resolutions of one assembly by their ordinal (0 for other actions).</summary>
internal readonly record struct TimelineCursor(DateTimeOffset SortAt, int Rank, int Seq, Guid Id)
{
    private const string Prefix = "t2";

    public string Encode() => CursorText.Encode(Prefix, CursorText.Instant(SortAt), CursorText.Number(Rank), CursorText.Number(Seq), Id.ToString("N"));

    public static bool TryDecode(string? text, out TimelineCursor cursor)
    {
        cursor = default;
        if (CursorText.TryDecode(text, Prefix, 4, out var f)
            && CursorText.TryParseInstant(f[0], out var sortAt)
            && CursorText.TryParseNumber(f[1], out var rank) && rank is >= 1 and <= 3
            && CursorText.TryParseNumber(f[2], out var seq) && seq >= 0
            && Guid.TryParseExact(f[3], "N", out var id))
        {
            cursor = new TimelineCursor(sortAt, rank, seq, id);
            return true;
        }

        return false;
    }
}
