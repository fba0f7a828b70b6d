using System.Globalization;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Models;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

/// <summary>
/// Filters arrive as the raw query-string text so that a malformed value becomes a 400 naming its parameter,
/// not a binding failure. Dates are inclusive and compared with the event's own local dates.
/// </summary>
public sealed record ListEventsQuery(
    string? From = null,
    string? To = null,
    string? Organization = null,
    string? City = null,
    string? Country = null,
    string? Kind = null,
    string? Status = null,
    string? Limit = null,
    string? Cursor = null) : IQuery<Page<EventSummaryDto>>
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    internal static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

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
        RuleFor(q => q.From).Must(v => ListEventsQuery.TryParseDate(v, out _)).When(q => q.From is not null)
            .OverridePropertyName("from").WithMessage("'from' must be a date in the form YYYY-MM-DD.");
        RuleFor(q => q.To).Must(v => ListEventsQuery.TryParseDate(v, out _)).When(q => q.To is not null)
            .OverridePropertyName("to").WithMessage("'to' must be a date in the form YYYY-MM-DD.");
        RuleFor(q => q)
            .Must(q => !ListEventsQuery.TryParseDate(q.From, out var from) || !ListEventsQuery.TryParseDate(q.To, out var to) || from <= to)
            .OverridePropertyName("to").WithMessage("'to' must not be before 'from'.");
        RuleFor(q => q.Kind).Must(v => KebabEnum.TryParse<EventKind>(v, out _)).When(q => q.Kind is not null)
            .OverridePropertyName("kind").WithMessage($"'kind' must be one of: {KebabEnum.Allowed<EventKind>()}.");
        RuleFor(q => q.Status).Must(v => KebabEnum.TryParse<EventStatus>(v, out _)).When(q => q.Status is not null)
            .OverridePropertyName("status").WithMessage($"'status' must be one of: {KebabEnum.Allowed<EventStatus>()}.");
        RuleFor(q => q.Limit).Must(v => ListEventsQuery.TryParseLimit(v, out _))
            .OverridePropertyName("limit").WithMessage($"'limit' must be a whole number from 1 to {ListEventsQuery.MaxLimit}.");
        RuleFor(q => q.Cursor).Must(v => Cursor.TryDecode(v, out _)).When(q => q.Cursor is not null)
            .OverridePropertyName("cursor").WithMessage("'cursor' is not a cursor this server issued; use the nextCursor of a previous page.");
        RuleFor(q => q.Country).Matches("^[A-Za-z]{2}$").When(q => q.Country is not null)
            .OverridePropertyName("country").WithMessage("'country' must be an ISO 3166-1 alpha-2 code such as CA.");
        RuleFor(q => q.Organization).Must(Slugs.IsWellFormed).When(q => q.Organization is not null)
            .OverridePropertyName("organization").WithMessage("'organization' must be an organization's slug (letters, digits and dashes).");
        RuleFor(q => q.City).Must(c => !string.IsNullOrWhiteSpace(c) && c.Length <= 200 && !c.Any(char.IsControl)).When(q => q.City is not null)
            .OverridePropertyName("city").WithMessage("'city' must be a city name or slug.");
    }
}

public sealed class ListEventsQueryHandler(IOrganizerDbContext db) : IQueryHandler<ListEventsQuery, Page<EventSummaryDto>>
{
    public async ValueTask<Page<EventSummaryDto>> Handle(ListEventsQuery query, CancellationToken cancellationToken)
    {
        ListEventsQuery.TryParseLimit(query.Limit, out var limit);
        var events = PublicEvents.Of(db);

        if (ListEventsQuery.TryParseDate(query.From, out var from))
        {
            events = events.Where(e => e.Schedule.EndDate >= from);
        }

        if (ListEventsQuery.TryParseDate(query.To, out var to))
        {
            events = events.Where(e => e.Schedule.StartDate <= to);
        }

        if (query.Organization is not null)
        {
            var organizationId = await db.Organizations.BySlugOrAlias(query.Organization).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("organization", query.Organization);
            events = events.Where(e => e.Participations.Any(p => p.OrganizationId == organizationId));
        }

        if (query.City is not null)
        {
            var cities = await CityNames.MatchingAsync(db, query.City, cancellationToken);
            events = events.Where(e => e.Place != null && cities.Contains(e.Place.City!));
        }

        if (query.Country is not null)
        {
            var country = query.Country.ToUpperInvariant();
            events = events.Where(e => e.Place != null && e.Place.CountryCode == country);
        }

        if (KebabEnum.TryParse<EventKind>(query.Kind, out var kind))
        {
            events = events.Where(e => e.Kind == kind);
        }

        if (KebabEnum.TryParse<EventStatus>(query.Status, out var status))
        {
            events = events.Where(e => e.Status == status);
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
        return new Page<EventSummaryDto>(rows.Take(limit).Select(r => r.ToDto()).ToList(), next);
    }
}

/// <summary>Events anyone may see in lists and feeds.</summary>
internal static class PublicEvents
{
    public static IQueryable<Event> Of(IOrganizerDbContext db) =>
        db.Events.AsNoTracking().Where(e => e.Visibility == Visibility.Public && e.Status != EventStatus.Pending);
}

internal static class CityNames
{
    /// <summary>The stored city names a city parameter means: a name in any case, or its slug ("montreal").</summary>
    public static async Task<List<string>> MatchingAsync(IOrganizerDbContext db, string city, CancellationToken cancellationToken)
    {
        var wanted = Slugs.From(city);
        var all = await db.Places.AsNoTracking().Where(p => p.City != null).Select(p => p.City!).Distinct().ToListAsync(cancellationToken);
        return all.Where(c => Slugs.From(c) == wanted).ToList();
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
        e.Parent == null ? null : e.Parent.Slug);

    public EventSummaryDto ToDto()
    {
        var (start, end) = ScheduleFormat.Format(Schedule);
        return new EventSummaryDto(Slug, Title, Kind, Status, Schedule.AllDay, start, end, Schedule.TimeZone, Schedule.Precision,
            Place, ScheduleFormat.Organizations(Organizations), Parent);
    }
}
