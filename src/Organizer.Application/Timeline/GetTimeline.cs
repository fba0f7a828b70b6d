using System.Globalization;
using FluentValidation;
using Mediator;
using Organizer.Application.Common;
using Organizer.Application.Common.Validation;
using Organizer.Application.Events;
using Organizer.Application.Events.Series;
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
        var (page, cut) = request.Events ? await WithOccurrencesAsync(request, rows, cancellationToken) : (rows, false);

        // A page cut short by the expansion budget ends where the budget did: the next one goes on from there. One cut
        // before its first action could not go on at all, and an empty last page would hide the rest of the record.
        var shown = page.Take(limit).ToList();
        if (cut && shown.Count == 0)
        {
            throw new Common.Exceptions.ValidationException("series", $"This organization has more recurring series under way here than one page can expand ({SeriesExpansion.MaxPerRequest:N0} occurrences); narrow the timeline with from, to, role or kind.");
        }

        var next = page.Count > limit || (cut && shown.Count > 0) ? TimelineCursor.After(shown[^1]).Encode() : null;
        return new TimelinePageDto(organization.Slug, shown.Select(ToDto).ToList(), next);
    }

    /// <summary>
    /// The page with the occurrences of the organization's series merged in: each series read from where the page
    /// starts (now, or the cursor) in the page's direction, as far as the page needs and the request's
    /// <see cref="ExpansionBudget"/> allows. The read model left the series' own rows out.
    /// </summary>
    private async Task<(IReadOnlyList<TimelineRow> Rows, bool Cut)> WithOccurrencesAsync(
        TimelineRequest request, IReadOnlyList<TimelineRow> rows, CancellationToken cancellationToken)
    {
        var series = (await timeline.SeriesAsync(request.Organization, cancellationToken))
            .Where(s => (request.Role is null || s.Role == request.Role) && (request.Kind is null || s.Series.Kind == request.Kind))
            .ToList();
        if (series.Count == 0)
        {
            return (rows, false);
        }

        // A full page of other actions bounds how far any series needs reading: past its last row, nothing can show.
        var budget = new ExpansionBudget();
        var bound = rows.Count >= request.Take ? rows[^1].SortAt : (DateTimeOffset?)null;
        var sources = new List<IEnumerable<TimelineRow>> { rows };
        sources.AddRange(series.Select(s => Occurrences(s, request, bound, budget)));
        var merged = SeriesActions.Merge(sources, TimelineCursor.After, descending: !request.Upcoming, request.Take, budget, out var cut);
        return (merged, cut);
    }

    /// <summary>One series' occurrences that belong on the page, in its order, as actions.</summary>
    private static IEnumerable<TimelineRow> Occurrences(
        OrganizationSeries part, TimelineRequest request, DateTimeOffset? bound, ExpansionBudget budget)
    {
        var series = part.Series;
        var zone = EventSchedule.FindZone(series.Schedule.TimeZone);
        DateOnly? boundDay = bound is { } b ? DateOnly.FromDateTime(EventSchedule.ToLocal(b, zone)) : null;
        var direction = request.Upcoming ? 1 : -1;

        // The page starts at now, or after the cursor when that is further on.
        var start = request.After is { } after && (request.Upcoming ? after.SortAt >= request.Now : after.SortAt < request.Now) ? after.SortAt : request.Now;
        var startDay = DateOnly.FromDateTime(EventSchedule.ToLocal(start, zone));
        var firstDay = request.From is { } from && from > startDay ? from : startDay;
        var occurrences = request.Upcoming
            ? (series.SeriesEndDate is { } end && end < firstDay && series.Overrides.All(o => o.Start is null)
                ? []
                : SeriesActions.Ascending(series, firstDay, budget)
                    .TakeWhile(o => (request.To is not { } to || o.Schedule.StartDate <= to) && (boundDay is not { } last || o.Schedule.StartDate <= last)))
            : SeriesActions.Descending(series, request.To is { } to2 && to2 < startDay ? to2 : startDay, request.From, boundDay, budget);
        foreach (var o in occurrences)
        {
            var row = ToRow(part, o);
            var key = TimelineCursor.After(row);
            if ((request.Upcoming ? row.SortAt < request.Now : row.SortAt >= request.Now)
                || (request.After is { } cursor && TimelineCursor.Compare(key, cursor) * direction <= 0)
                || (request.From is { } f && o.Schedule.EndDate < f)
                || (request.To is { } t && o.Schedule.StartDate > t))
            {
                continue;
            }

            yield return row;
        }
    }

    private static TimelineRow ToRow(OrganizationSeries part, Occurrence o)
    {
        // The occurrence's own place where it moved, or the series'.
        var place = o.Override?.Place is { } moved && moved.Id == o.PlaceId ? moved : part.Series.Place;
        return new TimelineRow
        {
            Rank = TimelineRow.EventRank,
            Seq = 0,
            Id = part.Series.Id,
            Slug = part.Series.Slug,
            Title = o.Title,
            SortAt = o.Schedule.SortAt,
            Role = part.Role,
            Kind = part.Series.Kind,
            AllDay = o.Schedule.AllDay,
            StartsAt = o.Schedule.StartsAt,
            EndsAt = o.Schedule.EndsAt,
            StartDate = o.Schedule.StartDate,
            EndDate = o.Schedule.EndDate,
            TimeZone = o.Schedule.TimeZone,
            PlaceName = place?.Name,
            PlaceCity = place?.City,
            Status = o.Status,
            Occurrence = o.Date,
        };
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
            row.Event,
            row.Status,
            row.Occurrence?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}
