using System.Globalization;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Models;
using Organizer.Application.Common.Security;
using Organizer.Application.Search;
using Organizer.Domain.Events;
using Organizer.Application.Places;
using Organizer.Application.Common.Links;
using Organizer.Application.Access;

namespace Organizer.Application.Events;

/// <summary>
/// Public events, filtered and keyset-paged with an opaque cursor: oldest first, or with <c>q</c> best match first
/// unless <c>sort=date</c> asks for the calendar order.
/// </summary>
public sealed record ListEventsQuery(
    string? From = null,
    string? To = null,
    string? Organization = null,
    string? City = null,
    string? Country = null,
    string? Kind = null,
    string? Status = null,
    string? Tag = null,
    string? Q = null,
    string? Limit = null,
    string? Cursor = null,
    string? Sort = null,
    string BaseUrl = "",
    Actor? Viewer = null) : IQuery<Page<EventSummaryDto>>, IEventFilter
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Relevance order applies to searches unless the caller asks for dates.</summary>
    internal bool ByRelevance => Q is not null && Sort != "date";

    internal static bool TryParseLimit(string? text, out int limit)
    {
        limit = DefaultLimit;
        return text is null || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxLimit);
    }
}

public sealed class ListEventsQueryValidator : AbstractValidator<ListEventsQuery>
{
    public ListEventsQueryValidator()
    {
        Include(new EventFilterValidator<ListEventsQuery>());
        RuleFor(q => q.Limit).Must(v => ListEventsQuery.TryParseLimit(v, out _))
            .OverridePropertyName("limit").WithMessage($"'limit' must be a whole number from 1 to {ListEventsQuery.MaxLimit}.");
        RuleFor(q => q.Sort).Must(v => v is "date" or "relevance").When(q => q.Sort is not null)
            .OverridePropertyName("sort").WithMessage("'sort' must be 'date' or 'relevance'.");
        RuleFor(q => q.Sort).Must(_ => false).When(q => q.Sort == "relevance" && q.Q is null)
            .OverridePropertyName("sort").WithMessage("'sort=relevance' needs 'q', the words to rank by.");
        RuleFor(q => q).Must(q => q.ByRelevance ? RelevanceCursor.TryDecode(q.Cursor, out _) : Cursor.TryDecode(q.Cursor, out _))
            .When(q => q.Cursor is not null)
            .OverridePropertyName("cursor").WithMessage("'cursor' is not a cursor this server issued for this order; use the nextCursor of a previous page.");
    }
}

public sealed class ListEventsQueryHandler(IOrganizerDbContext db) : IQueryHandler<ListEventsQuery, Page<EventSummaryDto>>
{
    public async ValueTask<Page<EventSummaryDto>> Handle(ListEventsQuery query, CancellationToken cancellationToken)
    {
        ListEventsQuery.TryParseLimit(query.Limit, out var limit);
        var source = EventVisibility.ListedEvents(db);
        if (KebabEnum.TryParse<EventStatus>(query.Status, out var status) && status == EventStatus.Pending)
        {
            // The moderation queue: only the admin sees submissions awaiting review.
            AccessPolicies.RequireAdmin(query.Viewer, AdminOnly.ListPending);
            source = db.Events.AsNoTracking();
        }

        var events = await source.FilterAsync(query, db, cancellationToken);
        if (query.ByRelevance)
        {
            return await ByRelevanceAsync(events, query, limit, cancellationToken);
        }

        if (Cursor.TryDecode(query.Cursor, out var after))
        {
            events = events.Where(e => EF.Functions.GreaterThan(
                ValueTuple.Create(e.Schedule.SortAt, e.Id), ValueTuple.Create(after.SortAt, after.Id)));
        }

        var rows = await events
            .OrderBy(e => e.Schedule.SortAt).ThenBy(e => e.Id)
            .Take(limit + 1)
            .Select(EventRow.Projection)
            .ToListAsync(cancellationToken);

        var next = rows.Count > limit ? new Cursor(rows[limit - 1].SortAt, rows[limit - 1].Id).Encode() : null;
        return new Page<EventSummaryDto>(rows.Take(limit).Select(r => r.ToDto(query.BaseUrl)).ToList(), next);
    }

    /// <summary>
    /// Best match first (ts_rank), ties by id. The page's ids and ranks come first, then its rows: the row projection
    /// stays the one the date order uses.
    /// </summary>
    private async Task<Page<EventSummaryDto>> ByRelevanceAsync(IQueryable<Event> events, ListEventsQuery query, int limit, CancellationToken cancellationToken)
    {
        var q = query.Q!;
        var ranked = events.Select(e => new
        {
            e.Id,
            Rank = EF.Property<NpgsqlTsVector>(e, SearchNames.Vector).Rank(EF.Functions.WebSearchToTsQuery(SearchNames.Config, q)),
        });
        if (RelevanceCursor.TryDecode(query.Cursor, out var after))
        {
            // Descending rank and ascending id as one row comparison: (-rank, id) > (-last rank, last id).
            ranked = ranked.Where(r => EF.Functions.GreaterThan(ValueTuple.Create(-r.Rank, r.Id), ValueTuple.Create(-after.Rank, after.Id)));
        }

        var page = await ranked.OrderByDescending(r => r.Rank).ThenBy(r => r.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var ids = page.Select(r => r.Id).ToList();
        var rows = await db.Events.AsNoTracking().Where(e => ids.Contains(e.Id)).Select(EventRow.Projection).ToDictionaryAsync(r => r.Id, cancellationToken);

        var next = page.Count > limit ? new RelevanceCursor(page[limit - 1].Rank, page[limit - 1].Id).Encode() : null;
        return new Page<EventSummaryDto>(page.Take(limit).Select(r => rows[r.Id].ToDto(query.BaseUrl)).ToList(), next);
    }
}

internal sealed record EventRow(
    Guid Id,
    DateTimeOffset SortAt,
    string Slug,
    string Title,
    EventKind Kind,
    EventStatus Status,
    EventSchedule Schedule,
    PlaceRefDto? Place,
    List<EventOrganizationDto> Organizations,
    string? Parent)
{
    public static readonly System.Linq.Expressions.Expression<Func<Event, EventRow>> Projection = e => new EventRow(
        e.Id,
        e.Schedule.SortAt,
        e.Slug,
        e.Title,
        e.Kind,
        e.Status,
        e.Schedule,
        e.Place == null ? null : new PlaceRefDto(e.Place.Slug, e.Place.Name, e.Place.City, e.Place.CountryCode),
        e.Participations.Select(p => new EventOrganizationDto(p.Organization!.Slug, p.Organization.Name, p.Role)).ToList(),
        // A session names its assembly only where anyone may read the assembly.
        e.Parent == null || e.Parent.Visibility == Visibility.Private || e.Parent.Status == EventStatus.Pending ? null : e.Parent.Slug);

    public EventSummaryDto ToDto(string baseUrl)
    {
        var (start, end) = ScheduleFormat.Format(Schedule);
        return new EventSummaryDto(Slug, Title, Kind, Status, Schedule.AllDay, start, end, Schedule.TimeZone, Schedule.Precision,
            Place, ScheduleFormat.Organizations(Organizations), Parent, FeedLinksDto.ForEvent(baseUrl, Slug));
    }
}
