using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Models;
using Organizer.Application.Common.Security;
using Organizer.Application.Common.Validation;
using Organizer.Domain.Common;
using Organizer.Domain.Events;
using Organizer.Application.Places;
using Organizer.Application.Common.Links;
using Organizer.Application.Access;

namespace Organizer.Application.Events;

/// <summary>The query string of <c>GET /api/events</c>, as the client sent it.</summary>
/// <param name="Limit">1–200, default 50.</param>
/// <param name="Cursor">The nextCursor of the previous page.</param>
/// <param name="Q">Full-text search words, accents ignored; the list is then ordered best match first.</param>
/// <param name="Sort">date (oldest first; the default without q) or relevance (the default with q).</param>
public sealed record ListEventsParameters(
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
    string? Sort = null) : IEventFilterParameters
{
    public static readonly PageLimit Limits = new(Default: 50, Max: 200);

    /// <summary>Relevance order applies to searches unless the caller asks for dates.</summary>
    internal bool ByRelevance => Q is not null && Sort != "date";
}

public sealed class ListEventsParametersValidator : AbstractValidator<ListEventsParameters>
{
    public ListEventsParametersValidator()
    {
        Include(new EventFilterValidator<ListEventsParameters>());
        RuleFor(p => p.Limit).Must(ListEventsParameters.Limits.IsValid)
            .OverridePropertyName("limit").WithMessage(ListEventsParameters.Limits.Message);
        RuleFor(p => p.Sort).Must(v => v is "date" or "relevance").When(p => p.Sort is not null)
            .OverridePropertyName("sort").WithMessage("'sort' must be 'date' or 'relevance'.");
        RuleFor(p => p.Sort).Must(_ => false).When(p => p.Sort == "relevance" && p.Q is null)
            .OverridePropertyName("sort").WithMessage("'sort=relevance' needs 'q', the words to rank by.");
        RuleFor(p => p).Must(p => p.ByRelevance ? RelevanceCursor.TryDecode(p.Cursor, out _) : Cursor.TryDecode(p.Cursor, out _))
            .When(p => p.Cursor is not null)
            .OverridePropertyName("cursor").WithMessage("'cursor' is not a cursor this server issued for this order; use the nextCursor of a previous page.");
    }
}

/// <summary>
/// Public events, filtered and keyset-paged with an opaque cursor: oldest first, or with <c>q</c> best match first
/// unless <c>sort=date</c> asks for the calendar order.
/// </summary>
public sealed record ListEventsQuery(ListEventsParameters Parameters, Actor? Viewer = null) : IQuery<Page<EventSummaryDto>>, IReadsReplica
{
    /// <summary>Someone with a token may be listing what they have just posted, and may see more than the public.</summary>
    bool IReadsReplica.MayReadReplica => Viewer is null || Viewer.IsAnonymous;
}

public sealed class ListEventsQueryValidator() : QueryStringValidator<ListEventsQuery, ListEventsParameters>(q => q.Parameters, new ListEventsParametersValidator());

public sealed class ListEventsQueryHandler(IOrganizerDbContext db, EventFilters filters, IEventListQueries queries, ILinks links) : IQueryHandler<ListEventsQuery, Page<EventSummaryDto>>
{
    public async ValueTask<Page<EventSummaryDto>> Handle(ListEventsQuery query, CancellationToken cancellationToken)
    {
        var parameters = query.Parameters;
        var filter = EventFilter.Parse(parameters);
        var limit = ListEventsParameters.Limits.Parse(parameters.Limit);
        var source = EventVisibility.ListedEvents(db);
        if (filter.Status == EventStatus.Pending)
        {
            // The moderation queue: only the admin sees submissions awaiting review.
            AccessPolicies.RequireAdmin(query.Viewer, AdminOnly.ListPending);
            source = db.Events.AsNoTracking();
        }

        if (!parameters.ByRelevance && (filter.From is not null || filter.Organization is not null))
        {
            // Read in index order from the organization's own participations and from the first day, not filtered
            // out of every event (IEventListQueries.PageAsync).
            var organization = filter.Organization is { } slug ? await filters.OrganizationIdAsync(slug, cancellationToken) : (Guid?)null;
            var narrowed = await filters.ApplyAsync(source, filter with { Organization = null }, cancellationToken);
            var position = Cursor.TryDecode(parameters.Cursor, out var from) ? from : (Cursor?)null;
            var keys = await queries.PageAsync(narrowed, new EventPageRequest(organization, filter.From, filter.To, position, limit + 1), cancellationToken);
            var following = keys.Count > limit ? new Cursor(keys[limit - 1].SortAt, keys[limit - 1].Id).Encode() : null;
            return new Page<EventSummaryDto>((await RowsAsync(keys.Take(limit), cancellationToken)).Select(r => r.ToDto(links)).ToList(), following);
        }

        var events = await filters.ApplyAsync(source, filter, cancellationToken);
        if (parameters.ByRelevance)
        {
            var after = RelevanceCursor.TryDecode(parameters.Cursor, out var ranked) ? ranked : (RelevanceCursor?)null;
            return await ByRelevanceAsync(events, parameters.Q!, after, limit, cancellationToken);
        }

        if (Cursor.TryDecode(parameters.Cursor, out var cursor))
        {
            events = queries.After(events, cursor);
        }

        var rows = await events
            .OrderBy(e => e.Schedule.SortAt).ThenBy(e => e.Id)
            .Take(limit + 1)
            .Select(EventRow.Projection)
            .ToListAsync(cancellationToken);

        var next = rows.Count > limit ? new Cursor(rows[limit - 1].SortAt, rows[limit - 1].Id).Encode() : null;
        return new Page<EventSummaryDto>(rows.Take(limit).Select(r => r.ToDto(links)).ToList(), next);
    }

    /// <summary>
    /// The rows of a page whose events were picked, in order, by another query. One deleted in between is left out;
    /// the next page still starts after the keys.
    /// </summary>
    private async Task<List<EventRow>> RowsAsync(IEnumerable<EventKey> page, CancellationToken cancellationToken)
    {
        var keys = page.ToList();
        var ids = keys.Select(k => k.Id).ToList();
        var rows = await db.Events.AsNoTracking().Where(e => ids.Contains(e.Id)).Select(EventRow.Projection).ToDictionaryAsync(r => r.Id, cancellationToken);
        return keys.Where(k => rows.ContainsKey(k.Id)).Select(k => rows[k.Id]).ToList();
    }

    /// <summary>
    /// Best match first (ts_rank), ties by id. The page's ids and ranks come first, then its rows: the row projection
    /// stays the one the date order uses.
    /// </summary>
    private async Task<Page<EventSummaryDto>> ByRelevanceAsync(
        IQueryable<Event> events, string words, RelevanceCursor? after, int limit, CancellationToken cancellationToken)
    {
        var page = await queries.Ranked(events, words, after).OrderByDescending(r => r.Rank).ThenBy(r => r.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var ids = page.Select(r => r.Id).ToList();
        var rows = await db.Events.AsNoTracking().Where(e => ids.Contains(e.Id)).Select(EventRow.Projection).ToDictionaryAsync(r => r.Id, cancellationToken);

        var next = page.Count > limit ? new RelevanceCursor(page[limit - 1].Rank, page[limit - 1].Id).Encode() : null;
        return new Page<EventSummaryDto>(page.Take(limit).Select(r => rows[r.Id].ToDto(links)).ToList(), next);
    }
}

/// <remarks>
/// The schedule is read column by column: projecting the complex property makes EF read the whole event row (its
/// description and search vector too) once for each of its organizations.
/// </remarks>
internal sealed record EventRow(
    Guid Id,
    DateTimeOffset SortAt,
    string Slug,
    string Title,
    EventKind Kind,
    EventStatus Status,
    bool AllDay,
    DateOnly StartDate,
    DateOnly EndDate,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    string TimeZone,
    DatePrecision Precision,
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
        e.Schedule.AllDay,
        e.Schedule.StartDate,
        e.Schedule.EndDate,
        e.Schedule.StartsAt,
        e.Schedule.EndsAt,
        e.Schedule.TimeZone,
        e.Schedule.Precision,
        e.Place == null ? null : new PlaceRefDto(e.Place.Slug, e.Place.Name, e.Place.City, e.Place.CountryCode),
        e.Participations.Select(p => new EventOrganizationDto(p.Organization!.Slug, p.Organization.Name, p.Role)).ToList(),
        // A session names its assembly only where anyone may read the assembly.
        e.Parent == null || e.Parent.Visibility == Visibility.Private || e.Parent.Status == EventStatus.Pending ? null : e.Parent.Slug);

    public EventSummaryDto ToDto(ILinks links)
    {
        var (start, end) = ScheduleFormat.Format(AllDay, StartDate, EndDate, StartsAt, EndsAt, TimeZone);
        return new EventSummaryDto(Slug, Title, Kind, Status, AllDay, start, end, TimeZone, Precision,
            Place, ScheduleFormat.Organizations(Organizations), Parent, links.EventCalendar(Slug));
    }
}
