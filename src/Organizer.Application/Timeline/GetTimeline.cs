using System.Globalization;
using FluentValidation;
using Mediator;
using Organizer.Application.Common;
using Organizer.Application.Common.Validation;
using Organizer.Application.Events;
using Organizer.Domain.Events;

namespace Organizer.Application.Timeline;

/// <summary>What an organization has done (or will do): events in any role, statements it issued, resolutions adopted
/// at assemblies it took part in. Past actions newest first; upcoming ones soonest first. Bound as it is from the route
/// and the query string of <c>GET /api/organizations/{slug}/actions</c>.</summary>
/// <param name="When">past (default, newest first) or upcoming (soonest first).</param>
/// <param name="Role">host, co-organizer, participant, endorser or issuer.</param>
/// <param name="Type">event, statement or resolution.</param>
/// <param name="Limit">1–200, default 50.</param>
public sealed record GetTimelineQuery(
    string Slug,
    string? When = null,
    string? From = null,
    string? To = null,
    string? Kind = null,
    string? Role = null,
    string? Type = null,
    string? Limit = null,
    string? Cursor = null) : IQuery<TimelinePageDto>, IReadsReplica
{
    public static readonly PageLimit Limits = new(Default: 50, Max: 200);
}

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
        RuleFor(q => q.Limit).Must(GetTimelineQuery.Limits.IsValid)
            .OverridePropertyName("limit").WithMessage(GetTimelineQuery.Limits.Message);
        RuleFor(q => q.Cursor).Must(c => TimelineCursor.TryDecode(c, out _)).When(q => q.Cursor is not null)
            .OverridePropertyName("cursor").WithMessage("'cursor' is not a cursor this server issued; use the nextCursor of a previous page.");
    }
}

/// <summary>
/// Decides which kinds of action can match the filters and reads a page of them through <see cref="ITimelineQueries"/>.
/// Keyset on (instant, rank, ordinal, id) so that actions added between pages never make one skip or repeat.
/// </summary>
public sealed class GetTimelineQueryHandler(IOrganizerDbContext db, ITimelineQueries timeline, TimeProvider clock) : IQueryHandler<GetTimelineQuery, TimelinePageDto>
{
    public async ValueTask<TimelinePageDto> Handle(GetTimelineQuery query, CancellationToken cancellationToken) =>
        await new TimelineReader(db, timeline, clock).ReadAsync(query, cancellationToken);
}

/// <summary>A page of an organization's timeline, for the JSON list and for its Atom feed, which must show the same.</summary>
internal sealed class TimelineReader(IOrganizerDbContext db, ITimelineQueries timeline, TimeProvider clock)
{
    /// <param name="query">Validated: the endpoint's pipeline checked it, or the caller built it from constants.</param>
    public async Task<TimelinePageDto> ReadAsync(GetTimelineQuery query, CancellationToken cancellationToken)
    {
        var organization = await db.Organizations.FindRefAsync(query.Slug, cancellationToken);

        var limit = GetTimelineQuery.Limits.Parse(query.Limit);
        var type = KebabEnum.TryParse<TimelineItemType>(query.Type, out var t) ? t : (TimelineItemType?)null;
        var issuerOnly = query.Role == "issuer";
        var role = KebabEnum.TryParse<ParticipationRole>(query.Role, out var r) ? r : (ParticipationRole?)null;
        var kind = KebabEnum.TryParse<EventKind>(query.Kind, out var k) ? k : (EventKind?)null;

        // A statement has no kind and no role but issuer; resolutions are adopted only at assemblies and conferences.
        var request = new TimelineRequest(
            organization.Id,
            clock.GetUtcNow(),
            Upcoming: query.When == "upcoming",
            Events: (type is null or TimelineItemType.Event) && !issuerOnly,
            Statements: (type is null or TimelineItemType.Statement) && kind is null && role is null,
            Resolutions: (type is null or TimelineItemType.Resolution) && !issuerOnly && (kind is null or EventKind.Assembly or EventKind.Conference),
            From: Times.TryBoundedDate(query.From, out var from) ? from : null,
            To: Times.TryBoundedDate(query.To, out var to) ? to : null,
            role,
            kind,
            After: TimelineCursor.TryDecode(query.Cursor, out var cursor) ? cursor : null,
            Take: limit + 1);
        if (!request.Events && !request.Statements && !request.Resolutions)
        {
            return new TimelinePageDto(organization.Slug, [], null);
        }

        var rows = await timeline.ActionsAsync(request, cancellationToken);
        var next = rows.Count > limit ? new TimelineCursor(rows[limit - 1].SortAt, rows[limit - 1].Rank, rows[limit - 1].Seq, rows[limit - 1].Id).Encode() : null;
        return new TimelinePageDto(organization.Slug, rows.Take(limit).Select(ToDto).ToList(), next);
    }

    private static TimelineItemDto ToDto(TimelineRow row)
    {
        var itemType = row.Rank switch
        {
            TimelineRow.EventRank => TimelineItemType.Event,
            TimelineRow.StatementRank => TimelineItemType.Statement,
            _ => TimelineItemType.Resolution,
        };
        var date = row.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (itemType == TimelineItemType.Statement)
        {
            return new TimelineItemDto(itemType, row.Slug, row.Title, date, null, null, null, "issuer", null, null, null);
        }

        var schedule = row.AllDay
            ? EventSchedule.AllDayRange(row.StartDate, row.EndDate, row.TimeZone)
            : EventSchedule.Timed(
                EventSchedule.ToLocal(row.StartsAt!.Value, EventSchedule.FindZone(row.TimeZone)),
                row.EndsAt is { } end ? EventSchedule.ToLocal(end, EventSchedule.FindZone(row.TimeZone)) : null,
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
            row.Role?.ToKebab() ?? "issuer",
            row.Kind?.ToKebab(),
            row.PlaceName is null ? null : new TimelinePlaceDto(row.PlaceName, row.PlaceCity),
            row.Event);
    }
}
