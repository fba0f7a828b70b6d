using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Validation;
using Organizer.Application.Cities;
using Organizer.Application.Places;
using Organizer.Domain.Events;

namespace Organizer.Application.Events;

/// <summary>
/// The event filters of the JSON list's and the calendar feeds' query strings, as the client sent them: text, so that
/// a malformed value becomes a 400 naming its parameter. <see cref="EventFilter.Parse"/> turns them into values.
/// </summary>
public interface IEventFilterParameters
{
    /// <summary>First local date (YYYY-MM-DD, inclusive) an event must reach.</summary>
    string? From { get; }

    /// <summary>Last local date (YYYY-MM-DD, inclusive) an event may start on.</summary>
    string? To { get; }

    /// <summary>Organization slug or alias slug, in any role.</summary>
    string? Organization { get; }

    string? City { get; }
    string? Country { get; }
    string? Kind { get; }
    string? Status { get; }
    string? Tag { get; }

    /// <summary>Full-text search words (accents ignored), e.g. "Anez coup".</summary>
    string? Q { get; }
}

public sealed class EventFilterValidator<T> : AbstractValidator<T> where T : IEventFilterParameters
{
    public EventFilterValidator()
    {
        RuleFor(q => q.From).Must(v => Times.TryBoundedDate(v, out _)).When(q => q.From is not null)
            .OverridePropertyName("from").WithMessage($"'from' must be a date in the form YYYY-MM-DD, in the years {DateBounds.Range}.");
        RuleFor(q => q.To).Must(v => Times.TryBoundedDate(v, out _)).When(q => q.To is not null)
            .OverridePropertyName("to").WithMessage($"'to' must be a date in the form YYYY-MM-DD, in the years {DateBounds.Range}.");
        RuleFor(q => q)
            .Must(q => !Times.TryBoundedDate(q.From, out var from) || !Times.TryBoundedDate(q.To, out var to) || from <= to)
            .OverridePropertyName("to").WithMessage("'to' must not be before 'from'.");
        RuleFor(q => q.Kind).Must(v => KebabEnum.TryParse<EventKind>(v, out _)).When(q => q.Kind is not null)
            .OverridePropertyName("kind").WithMessage($"'kind' must be one of: {KebabEnum.Allowed<EventKind>()}.");
        RuleFor(q => q.Status).Must(v => KebabEnum.TryParse<EventStatus>(v, out _)).When(q => q.Status is not null)
            .OverridePropertyName("status").WithMessage($"'status' must be one of: {KebabEnum.Allowed<EventStatus>()}.");
        RuleFor(q => q.Country).Matches("^[A-Za-z]{2}$").When(q => q.Country is not null)
            .OverridePropertyName("country").WithMessage("'country' must be an ISO 3166-1 alpha-2 code such as CA.");
        RuleFor(q => q.Organization).Must(Slugs.IsWellFormed).When(q => q.Organization is not null)
            .OverridePropertyName("organization").WithMessage("'organization' must be an organization's slug (letters, digits and dashes).");
        RuleFor(q => q.City).Must(Text.IsPlainText).When(q => q.City is not null)
            .OverridePropertyName("city").WithMessage("'city' must be a city name or slug.");
        RuleFor(q => q.Tag).Must(Text.IsPlainText).When(q => q.Tag is not null)
            .OverridePropertyName("tag").WithMessage("'tag' must be a tag such as bolivia.");
        RuleFor(q => q.Q).Must(Text.IsPlainText).When(q => q.Q is not null)
            .OverridePropertyName("q").WithMessage("'q' must be words to search for (not empty, at most 200 characters).");
    }
}

/// <summary>
/// The event filters as values, parsed from text that <see cref="EventFilterValidator{T}"/> has passed. Dates are
/// inclusive and compared with the event's own local dates.
/// </summary>
public sealed record EventFilter(
    DateOnly? From = null,
    DateOnly? To = null,
    string? Organization = null,
    string? City = null,
    string? Country = null,
    EventKind? Kind = null,
    EventStatus? Status = null,
    string? Tag = null,
    string? Q = null)
{
    /// <summary>Parses with the validator's own parsers; text it would refuse reads as absent, so parse only what it passed.</summary>
    public static EventFilter Parse(IEventFilterParameters text) => new(
        Times.TryBoundedDate(text.From, out var from) ? from : null,
        Times.TryBoundedDate(text.To, out var to) ? to : null,
        text.Organization,
        text.City,
        text.Country?.ToUpperInvariant(),
        KebabEnum.TryParse<EventKind>(text.Kind, out var kind) ? kind : null,
        KebabEnum.TryParse<EventStatus>(text.Status, out var status) ? status : null,
        text.Tag?.Trim().ToLowerInvariant(),
        text.Q);
}

/// <summary>Applies validated filters. An unknown organization is a 404; an unknown city simply matches nothing.</summary>
public sealed class EventFilters(IOrganizerDbContext db, IEventListQueries queries, ICityQueries cityQueries)
{
    /// <summary>
    /// Events and series as rows. A series reaches <c>from</c> while any of its occurrences may (its last date, or
    /// never ending), and starts by <c>to</c> with its first; the other filters read its own values.
    /// </summary>
    public Task<IQueryable<Event>> ApplyAsync(IQueryable<Event> events, EventFilter filter, CancellationToken cancellationToken) =>
        ApplyAsync(events, filter, seriesReach: true, cancellationToken);

    /// <summary>
    /// Single events only, which are their own occurrence: the SQL page of the calendar list, into which the series'
    /// occurrences are merged (<see cref="SeriesAsync"/>). Left without the series' window, its SQL stays what it
    /// was before series.
    /// </summary>
    public Task<IQueryable<Event>> SinglesAsync(IQueryable<Event> events, EventFilter filter, CancellationToken cancellationToken) =>
        ApplyAsync(events.Where(e => e.Recurrence == null), filter, seriesReach: false, cancellationToken);

    /// <summary>
    /// The series that may have an occurrence the filters select, found through the partial index on series
    /// (ix_events_series: start date, with the last date beside it). An occurrence's status and place may be its own,
    /// so a series passes those filters when it or one of its changed occurrences does; <see cref="SeriesMatch"/>
    /// then tells occurrence by occurrence.
    /// </summary>
    /// <param name="reaching">The first local date an occurrence must reach: <c>from</c>, or later where a cursor has passed.</param>
    public async Task<SeriesMatch> SeriesAsync(IQueryable<Event> events, EventFilter filter, DateOnly? reaching, CancellationToken cancellationToken)
    {
        events = events.Where(e => e.Recurrence != null);
        if (filter.To is { } to)
        {
            events = events.Where(e => e.Schedule.StartDate <= to);
        }

        if (reaching is { } from)
        {
            events = events.Where(e => e.SeriesEndDate == null || e.SeriesEndDate >= from);
        }

        List<string>? cities = null;
        if (filter.City is not null)
        {
            var named = await CitiesNamedAsync(filter.City, cancellationToken);
            cities = named;
            events = events.Where(e => (e.Place != null && named.Contains(e.Place.City!)) || e.Overrides.Any(o => o.Place != null && named.Contains(o.Place.City!)));
        }

        if (filter.Country is { } country)
        {
            events = events.Where(e => (e.Place != null && e.Place.CountryCode == country) || e.Overrides.Any(o => o.Place != null && o.Place.CountryCode == country));
        }

        if (filter.Status is { } status)
        {
            events = events.Where(e => e.Status == status || e.Overrides.Any(o => o.Status == status));
        }

        events = await AttributesAsync(events, filter with { City = null, Country = null, Status = null }, cancellationToken);
        return new SeriesMatch(events, filter.Status, cities, filter.Country);
    }

    private async Task<IQueryable<Event>> ApplyAsync(IQueryable<Event> events, EventFilter filter, bool seriesReach, CancellationToken cancellationToken)
    {
        if (filter.From is { } from)
        {
            events = seriesReach
                ? events.Where(e => e.Schedule.EndDate >= from || (e.Recurrence != null && (e.SeriesEndDate == null || e.SeriesEndDate >= from)))
                : events.Where(e => e.Schedule.EndDate >= from);
        }

        if (filter.To is { } to)
        {
            events = events.Where(e => e.Schedule.StartDate <= to);
        }

        if (filter.City is not null)
        {
            var cities = await CitiesNamedAsync(filter.City, cancellationToken);
            events = events.Where(e => e.Place != null && cities.Contains(e.Place.City!));
        }

        if (filter.Country is { } country)
        {
            events = events.Where(e => e.Place != null && e.Place.CountryCode == country);
        }

        if (filter.Status is { } status)
        {
            events = events.Where(e => e.Status == status);
        }

        return await AttributesAsync(events, filter, cancellationToken);
    }

    /// <summary>The filters on what a series' occurrences all share: its organizations, kind, words and tags.</summary>
    private async Task<IQueryable<Event>> AttributesAsync(IQueryable<Event> events, EventFilter filter, CancellationToken cancellationToken)
    {
        if (filter.Organization is not null)
        {
            var organizationId = await OrganizationIdAsync(filter.Organization, cancellationToken);
            events = events.Where(e => e.Participations.Any(p => p.OrganizationId == organizationId));
        }

        if (filter.Kind is { } kind)
        {
            events = events.Where(e => e.Kind == kind);
        }

        if (filter.Q is not null)
        {
            events = queries.Matching(events, filter.Q);
        }

        if (filter.Tag is { } tag)
        {
            events = events.Where(e => e.Tags.Contains(tag));
        }

        return events;
    }

    /// <summary>The organization an organization parameter (its slug or an alias) names; a 404 if none.</summary>
    public async Task<Guid> OrganizationIdAsync(string slug, CancellationToken cancellationToken) =>
        await db.Organizations.BySlugOrAlias(slug).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("organization", slug);

    /// <summary>The stored city names a city parameter means: a name in any case, or its slug ("montreal").</summary>
    public async Task<List<string>> CitiesNamedAsync(string city, CancellationToken cancellationToken)
    {
        var wanted = Slugs.From(city);
        var named = (await cityQueries.NamesAsync(cancellationToken)).Where(c => Slugs.From(c) == wanted).ToList();

        // A city known only from private places must not be confirmed to exist (by a 200 instead of a 404).
        return named.Count == 0
            ? named
            : await Access.EventVisibility.PublicPlaces(db).Where(p => named.Contains(p.City!)).Select(p => p.City!).Distinct().ToListAsync(cancellationToken);
    }
}

/// <summary>
/// The series <see cref="EventFilters.SeriesAsync"/> found, and the filters each occurrence is held to on its own:
/// its status, and the city and country of its place (where it moved, if it did).
/// </summary>
public sealed record SeriesMatch(IQueryable<Event> Series, EventStatus? Status, IReadOnlyCollection<string>? Cities, string? Country)
{
    public bool StatusMatches(EventStatus status) => Status is not { } wanted || status == wanted;

    public bool PlaceMatches(PlaceRefDto? place) =>
        (Cities is null || (place?.City is { } city && Cities.Contains(city)))
        && (Country is null || place?.CountryCode == Country);
}
