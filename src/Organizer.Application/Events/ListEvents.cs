using FluentValidation;
using CalendarStream = Organizer.Application.Events.Series.MergeStream<Organizer.Application.Events.CalendarItem, Organizer.Application.Common.Models.Cursor>;
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
using Organizer.Application.Events.Series;

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
/// Public events, filtered and keyset-paged with an opaque cursor: in calendar order, a series as its occurrences; or
/// with <c>q</c> best match first unless <c>sort=date</c> asks for the calendar order, a series once, as itself.
/// </summary>
public sealed record ListEventsQuery(ListEventsParameters Parameters, Actor? Viewer = null) : IQuery<Page<EventSummaryDto>>, IReadsReplica
{
    /// <summary>Someone with a token may be listing what they have just posted, and may see more than the public.</summary>
    bool IReadsReplica.MayReadReplica => Viewer is null || Viewer.IsAnonymous;
}

public sealed class ListEventsQueryValidator() : QueryStringValidator<ListEventsQuery, ListEventsParameters>(q => q.Parameters, new ListEventsParametersValidator());

/// <remarks>
/// The calendar order merges two reads: a SQL page of single events (as before series, with series rows left out),
/// and the series that may have occurrences there, found through their own partial index and expanded here, lazily
/// and within one <see cref="ExpansionBudget"/>. With no series in reach, the second read is one index probe that
/// finds nothing. A search lists a series once, as itself (its first occurrence's times, no <c>occurrence</c>): the
/// words match the series, not a date of it, and its address leads to the rule and what comes next.
/// </remarks>
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

        if (parameters.ByRelevance)
        {
            var after = RelevanceCursor.TryDecode(parameters.Cursor, out var ranked) ? ranked : (RelevanceCursor?)null;
            return await ByRelevanceAsync(await filters.ApplyAsync(source, filter, cancellationToken), parameters.Q!, after, limit, cancellationToken);
        }

        var position = Cursor.TryDecode(parameters.Cursor, out var cursor) ? cursor : (Cursor?)null;
        var rows = new Dictionary<Guid, EventRow>();
        var singles = await SinglesAsync(source, filter, position, limit + 1, rows, cancellationToken);

        var budget = new ExpansionBudget();
        var streams = new List<CalendarStream> { new(singles) };
        Dictionary<Guid, PlaceRefDto> places = [];
        Cursor? fence = null;
        if (filter.Q is not null)
        {
            streams.Add(new(await SeriesOnceAsync(source, filter, position, limit + 1, rows, cancellationToken)));
        }
        else
        {
            var series = await SeriesAsync(source, filter, position, limit + 1, budget, cancellationToken);
            (places, fence) = (series.Places, series.Fence);
            streams.AddRange(series.Streams);
        }

        var merged = CalendarMerge.Take(streams, fence, budget, limit + 1);
        var items = merged.Items;
        var page = items.Take(limit).ToList();

        // Cut short with nothing to show only when the budget went to finding where each series under way goes on.
        var next = merged.CutShort
            ? (page.Count > 0 ? page[^1].Position : merged.Resume ?? throw TooManySeries()).Encode()
            : items.Count > limit ? page[^1].Position.Encode() : null;

        var missing = page.Select(i => i.Position.Id).Where(id => !rows.ContainsKey(id)).Distinct().ToList();
        if (missing.Count > 0)
        {
            foreach (var row in await db.Events.AsNoTracking().Where(e => missing.Contains(e.Id)).Select(EventRow.Projection).ToListAsync(cancellationToken))
            {
                rows[row.Id] = row;
            }
        }

        // One deleted in between is left out; the next page still starts after it.
        return new Page<EventSummaryDto>(
            page.Where(i => rows.ContainsKey(i.Position.Id))
                .Select(i => i.Occurrence is { } o ? rows[i.Position.Id].ToDto(o, o.PlaceId is { } p ? places.GetValueOrDefault(p) : null, links) : rows[i.Position.Id].ToDto(links))
                .ToList(),
            next);
    }

    /// <summary>
    /// The first single events after <paramref name="position"/>. Filtered by organization or from a date, they are
    /// read in index order from the organization's own participations and from the first day, not filtered out of
    /// every event (<see cref="IEventListQueries.PageAsync"/>); their rows are read once the page is merged. Otherwise
    /// the rows come with the page.
    /// </summary>
    private async Task<List<CalendarItem>> SinglesAsync(
        IQueryable<Event> source, EventFilter filter, Cursor? position, int take, Dictionary<Guid, EventRow> rows, CancellationToken cancellationToken)
    {
        if (filter.From is not null || filter.Organization is not null)
        {
            var organization = filter.Organization is { } slug ? await filters.OrganizationIdAsync(slug, cancellationToken) : (Guid?)null;
            var narrowed = await filters.SinglesAsync(source, filter with { Organization = null }, cancellationToken);
            var keys = await queries.PageAsync(narrowed, new EventPageRequest(organization, filter.From, filter.To, position, take), cancellationToken);
            return keys.Select(k => new CalendarItem(new Cursor(k.SortAt, k.Id), null)).ToList();
        }

        return await FirstAfterAsync(await filters.SinglesAsync(source, filter, cancellationToken), position, take, rows, cancellationToken);
    }

    /// <summary>For a search in calendar order: the matching series after <paramref name="position"/>, each once, at its first occurrence.</summary>
    private async Task<List<CalendarItem>> SeriesOnceAsync(
        IQueryable<Event> source, EventFilter filter, Cursor? position, int take, Dictionary<Guid, EventRow> rows, CancellationToken cancellationToken)
    {
        var series = await filters.ApplyAsync(source.Where(e => e.Recurrence != null), filter, cancellationToken);
        return await FirstAfterAsync(series, position, take, rows, cancellationToken);
    }

    /// <summary>The first <paramref name="take"/> of <paramref name="events"/> after <paramref name="position"/>, in calendar order, their rows kept in <paramref name="rows"/>.</summary>
    private async Task<List<CalendarItem>> FirstAfterAsync(
        IQueryable<Event> events, Cursor? position, int take, Dictionary<Guid, EventRow> rows, CancellationToken cancellationToken)
    {
        if (position is { } after)
        {
            events = queries.After(events, after);
        }

        var read = await events.OrderBy(e => e.Schedule.SortAt).ThenBy(e => e.Id).Take(take).Select(EventRow.Projection).ToListAsync(cancellationToken);
        foreach (var row in read)
        {
            rows[row.Id] = row;
        }

        return read.Select(r => new CalendarItem(new Cursor(r.SortAt, r.Id), null)).ToList();
    }

    /// <summary>
    /// The series that may have occurrences after <paramref name="position"/>, each as the lazy stream of those that
    /// pass the filters, and the places they are held at. Those under way there are all expanded (each one's next
    /// occurrence may come first); those that begin later are read in the order they begin, only as many as one page
    /// can reach, and expanded only once the page gets to their first occurrence. The first left unread is the fence.
    /// </summary>
    private async Task<(List<CalendarStream> Streams, Dictionary<Guid, PlaceRefDto> Places, Cursor? Fence)> SeriesAsync(
        IQueryable<Event> source, EventFilter filter, Cursor? position, int take, ExpansionBudget budget, CancellationToken cancellationToken)
    {
        // An occurrence after the position starts no earlier, and no zone's local date is more than a day behind UTC's.
        var reaching = Later(filter.From, position is { } p ? UtcDay(p).AddDays(-1) : null);
        var match = await filters.SeriesAsync(source, filter, reaching, cancellationToken);

        IQueryable<Event> underWay, later;
        if (position is { } at)
        {
            // The dates bound the index range: no zone's local date is more than a day from UTC's.
            var day = UtcDay(at);
            var (dayBefore, dayAfter) = (day.AddDays(-1), day.AddDays(1));
            underWay = match.Series.Where(e => e.Schedule.StartDate <= dayAfter && e.Schedule.SortAt <= at.SortAt);
            later = match.Series.Where(e => e.Schedule.StartDate >= dayBefore && e.Schedule.SortAt > at.SortAt);
        }
        else if (filter.From is { } from)
        {
            underWay = match.Series.Where(e => e.Schedule.StartDate <= from);
            later = match.Series.Where(e => e.Schedule.StartDate > from);
        }
        else
        {
            underWay = match.Series.Where(e => false);
            later = match.Series;
        }

        // One round trip for both sets of keys; with no series in reach, the only one. Every series under way is read
        // (more than the budget is refused below); the order only keeps EF from warning of a limit without one.
        var keys = await underWay.OrderBy(e => e.Id).Take(SeriesExpansion.MaxPerRequest + 1).Select(e => new SeriesKey { Id = e.Id, SortAt = e.Schedule.SortAt, UnderWay = true })
            .Concat(later.OrderBy(e => e.Schedule.SortAt).ThenBy(e => e.Id).Take(take + 1).Select(e => new SeriesKey { Id = e.Id, SortAt = e.Schedule.SortAt, UnderWay = false }))
            .ToListAsync(cancellationToken);
        if (keys.Count == 0)
        {
            return ([], [], null);
        }

        if (keys.Count(k => k.UnderWay) > SeriesExpansion.MaxPerRequest)
        {
            throw TooManySeries();
        }

        var laterKeys = keys.Where(k => !k.UnderWay).OrderBy(k => k.SortAt).ThenBy(k => k.Id).ToList();
        Cursor? fence = null;
        if (laterKeys.Count > take)
        {
            fence = new Cursor(laterKeys[^1].SortAt, laterKeys[^1].Id);
            keys.Remove(laterKeys[^1]);
        }

        // Only what expanding needs: not the description, the citations or the search vector.
        var ids = keys.Select(k => k.Id).ToList();
        var series = await db.Events.AsNoTracking().Where(e => ids.Contains(e.Id))
            .Select(e => new Event
            {
                Id = e.Id,
                Slug = e.Slug,
                Title = e.Title,
                Status = e.Status,
                StatusReason = e.StatusReason,
                Schedule = e.Schedule,
                Recurrence = e.Recurrence,
                SeriesEndDate = e.SeriesEndDate,
                ExceptDates = e.ExceptDates,
                PlaceId = e.PlaceId,
                Sequence = e.Sequence,
                Overrides = e.Overrides.ToList(),
            })
            .ToListAsync(cancellationToken);

        var placeIds = series.SelectMany(s => s.Overrides.Select(o => o.PlaceId).Append(s.PlaceId)).OfType<Guid>().Distinct().ToList();
        var places = placeIds.Count == 0
            ? []
            : await db.Places.AsNoTracking().Where(pl => placeIds.Contains(pl.Id))
                .ToDictionaryAsync(pl => pl.Id, pl => new PlaceRefDto(pl.Slug, pl.Name, pl.City, pl.CountryCode), cancellationToken);
        var underWayIds = keys.Where(k => k.UnderWay).Select(k => k.Id).ToHashSet();
        var streams = series
            .Select(s => new CalendarStream(
                Occurrences(s, match, places, Later(reaching, position is { } c ? LocalDate(c, s) : null), filter.To, position, budget),
                underWayIds.Contains(s.Id) ? null : NotBefore(s)))
            .ToList();
        return (streams, places, fence);
    }

    private sealed class SeriesKey
    {
        public Guid Id { get; init; }
        public DateTimeOffset SortAt { get; init; }
        public bool UnderWay { get; init; }
    }

    /// <summary>The local date of a position in the series' zone: no occurrence after the position ends before that day.</summary>
    private static DateOnly LocalDate(Cursor position, Event series) =>
        UtcDay(position) is var day && day == DateOnly.FromDateTime(position.SortAt.UtcDateTime)
            ? DateOnly.FromDateTime(EventSchedule.ToLocal(position.SortAt, EventSchedule.FindZone(series.Schedule.TimeZone)))
            : day;

    /// <summary>
    /// A position's UTC date, kept a year beyond the calendar's (<see cref="DateBounds"/>) either side: a crafted
    /// cursor may lie at the ends of .NET's, where a day more or less does not exist.
    /// </summary>
    private static DateOnly UtcDay(Cursor position)
    {
        var (first, last) = (new DateOnly(DateBounds.FirstYear - 1, 1, 1), new DateOnly(DateBounds.LastYear + 1, 12, 31));
        var day = DateOnly.FromDateTime(position.SortAt.UtcDateTime);
        return day < first ? first : day > last ? last : day;
    }

    /// <summary>
    /// Where a series that has not begun may first appear: at its first occurrence, or where one of its occurrences was
    /// moved to, if earlier (a wall-clock time, so taken at the easternmost offset).
    /// </summary>
    private static Cursor NotBefore(Event series)
    {
        var first = series.Schedule.SortAt;
        foreach (var moved in series.Overrides)
        {
            if (moved.Start is { } start && new DateTimeOffset(start, TimeSpan.FromHours(14)) is var earliest && earliest < first)
            {
                first = earliest;
            }
        }

        return new Cursor(first, series.Id);
    }

    private static Common.Exceptions.ValidationException TooManySeries() => new("series",
        $"More recurring series are under way here than one page can expand ({SeriesExpansion.MaxPerRequest:N0} occurrences); narrow the list with organization, city, kind or tag.");

    /// <summary>The occurrences of one series after <paramref name="after"/> that the filters select, in calendar order.</summary>
    private static IEnumerable<CalendarItem> Occurrences(
        Event series, SeriesMatch match, Dictionary<Guid, PlaceRefDto> places, DateOnly? from, DateOnly? to, Cursor? after, ExpansionBudget budget)
    {
        bool Selected(Occurrence o) =>
            match.StatusMatches(o.Status) && match.PlaceMatches(o.PlaceId is { } id ? places.GetValueOrDefault(id) : null);

        IEnumerable<Occurrence> occurrences;
        if (match.StatusMatches(series.Status) && match.PlaceMatches(series.PlaceId is { } own ? places.GetValueOrDefault(own) : null))
        {
            occurrences = SeriesExpansion.Between(series, from, to, budget);
        }
        else
        {
            // Only a changed occurrence can have another status or place: those are read alone, not looked for through
            // a series that may never end.
            occurrences = series.Overrides
                .Select(o => SeriesExpansion.On(series, o.Occurrence))
                .OfType<Occurrence>()
                .Where(o => (from is not { } first || o.Schedule.EndDate >= first) && (to is not { } last || o.Schedule.StartDate <= last))
                .OrderBy(o => o.Schedule.SortAt).ThenBy(o => o.Date);
        }

        return occurrences
            .Where(Selected)
            .Select(o => CalendarItem.Of(series.Id, o))
            .Where(i => after is not { } position || CalendarOrder.Compare(i.Position, position) > 0);
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

    private static DateOnly? Later(DateOnly? a, DateOnly? b) => a is { } x && b is { } y ? (x > y ? x : y) : a ?? b;
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

    /// <summary>The event as itself: a single event, or a series listed once.</summary>
    public EventSummaryDto ToDto(ILinks links)
    {
        var (start, end) = ScheduleFormat.Format(AllDay, StartDate, EndDate, StartsAt, EndsAt, TimeZone);
        return new EventSummaryDto(Slug, null, Title, Kind, Status, AllDay, start, end, TimeZone, Precision,
            Place, ScheduleFormat.Organizations(Organizations), Parent, links.EventCalendar(Slug), links.Event(Slug));
    }

    /// <summary>One occurrence of the series this row is: its own title, status, times and place, the series' other values.</summary>
    public EventSummaryDto ToDto(Occurrence occurrence, PlaceRefDto? place, ILinks links)
    {
        var (start, end) = ScheduleFormat.Format(occurrence.Schedule);
        var date = occurrence.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return new EventSummaryDto(Slug, date, occurrence.Title, Kind, occurrence.Status, occurrence.Schedule.AllDay, start, end, TimeZone, Precision,
            place, ScheduleFormat.Organizations(Organizations), Parent, links.EventCalendar(Slug), links.Occurrence(Slug, date));
    }
}
