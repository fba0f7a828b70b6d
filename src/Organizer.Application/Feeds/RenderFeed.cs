using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Organizer.Application.Common.Models;
using Organizer.Application.Common;
using Organizer.Application.Common.Links;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Validation;
using NodaTime;
using Organizer.Application.Events;
using Organizer.Application.Events.Series;
using Organizer.Domain.Events;
using Organizer.Application.Access;

namespace Organizer.Application.Feeds;

public enum FeedScope
{
    All,
    Organization,
    City,
    Kind,
    Filtered,
    Event,

    /// <summary>An organization's events including private and unlisted ones; the key is its feed secret.</summary>
    Private,
}

/// <summary>The rendered bytes of a feed, in the pieces they were written in, with the validators HTTP caching needs.</summary>
/// <param name="Tags">What the feed shows (<see cref="FeedTags"/>), so that a change to it drops the cached copy.</param>
public sealed record RenderedFeed(IReadOnlyList<ReadOnlyMemory<byte>> Content, long Length, string ETag, DateTimeOffset LastModified, string FileName, IReadOnlyList<string> Tags)
{
    /// <summary>
    /// A strong ETag (a digest of the exact bytes served) and a Last-Modified cut to whole seconds, as HTTP dates
    /// have, so that If-Modified-Since comparisons are exact.
    /// </summary>
    public static RenderedFeed Of(ComposedFeed feed, DateTimeOffset lastModified, string fileName, IReadOnlyList<string> tags) =>
        new(
            feed.Content,
            feed.Content.Sum(p => (long)p.Length),
            $"\"{Convert.ToBase64String(feed.Digest).TrimEnd('=').Replace('+', '-').Replace('/', '_')}\"",
            new DateTimeOffset(lastModified.UtcTicks - (lastModified.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero),
            fileName,
            tags);

    public static RenderedFeed Of(byte[] content, DateTimeOffset lastModified, string fileName, IReadOnlyList<string> tags) =>
        Of(new ComposedFeed([content], SHA256.HashData(content)), lastModified, fileName, tags);
}

/// <summary>
/// A feed's query string, as the client sent it: the filters of <c>GET /api/events</c> for <c>/feeds/events.ics</c>,
/// and <c>cancelled</c>, the only one the other feeds read.
/// </summary>
/// <param name="Cancelled">'exclude' leaves cancelled events out (they are included by default, with STATUS:CANCELLED).</param>
public sealed record FeedParameters(
    string? Organization = null,
    string? City = null,
    string? Country = null,
    string? Kind = null,
    string? Tag = null,
    string? From = null,
    string? To = null,
    string? Status = null,
    string? Cancelled = null,
    string? Q = null) : IEventFilterParameters;

public sealed class FeedParametersValidator : AbstractValidator<FeedParameters>
{
    public FeedParametersValidator()
    {
        Include(new EventFilterValidator<FeedParameters>());
        RuleFor(p => p.Cancelled).Must(v => v is "include" or "exclude").When(p => p.Cancelled is not null)
            .OverridePropertyName("cancelled").WithMessage("'cancelled' must be 'include' (the default) or 'exclude'.");
    }
}

/// <summary>
/// A calendar feed: every public event (past ones too, within the configured window) of one scope, narrowed by the
/// same filters as <c>GET /api/events</c>. <paramref name="Key"/> is the organization slug, city, kind or event slug.
/// </summary>
public sealed record RenderFeedQuery(FeedScope Scope, string? Key, FeedParameters Parameters) : IQuery<RenderedFeed>;

public sealed class RenderFeedQueryValidator() : QueryStringValidator<RenderFeedQuery, FeedParameters>(q => q.Parameters, new FeedParametersValidator());

public sealed class RenderFeedQueryHandler(
    IOrganizerDbContext db, EventFilters filters, IOptions<FeedOptions> options, TimeProvider clock, ILinks links, EventFragments fragments,
    ILogger<RenderFeedQueryHandler> logger)
    : IQueryHandler<RenderFeedQuery, RenderedFeed>
{
    public async ValueTask<RenderedFeed> Handle(RenderFeedQuery query, CancellationToken cancellationToken)
    {
        // Taken before anything is read: text written from what this render reads is filed under it.
        var generation = fragments.Generation;

        var (header, fileName, events, tags) = await ScopeAsync(query, cancellationToken);
        FeedMetrics.Renders.Add(1, new KeyValuePair<string, object?>("scope", query.Scope.ToString()));

        // A series is in a feed whole (one VEVENT with its RRULE) when it reaches into the feed's dates at all: from its
        // first occurrence to its last date, which a series without an end does not have.
        events = await filters.ApplyAsync(events, EventFilter.Parse(query.Parameters), cancellationToken);

        var withoutCancelled = query.Parameters.Cancelled == "exclude";
        if (withoutCancelled)
        {
            events = events.Where(e => e.Status != EventStatus.Cancelled);
        }

        if (options.Value.PastDays is { } pastDays && query.Scope != FeedScope.Event)
        {
            events = Reaching(events, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-pastDays));
        }

        // Which events, in order, at which versions: enough to reuse the text of every event that has not changed.
        var listed = await events
            .OrderBy(e => e.Schedule.SortAt).ThenBy(e => e.Id)
            .Select(e => new Listed(e.Id, e.Version, e.Parent == null ? null : (uint?)e.Parent.Version, e.UpdatedAt, e.Recurrence != null))
            .ToListAsync(cancellationToken);
        // Any one event's address carries the scheme, host and base path that every event link in the text shares.
        var linkBase = links.Event("x");

        // Only a series' text depends on whether cancelled occurrences are shown (see LoadAsync), and on the year it is
        // written in (how far ahead its misread occurrences are written out); an event's is shared.
        var horizon = clock.GetUtcNow().UtcDateTime.Year + MisreadOccurrences.YearsAhead;
        var keys = listed.Select(e => new FragmentKey(e.Id, e.Version, e.ParentVersion ?? 0, generation, linkBase, e.IsSeries && withoutCancelled, e.IsSeries ? horizon : 0)).ToList();
        var written = keys.Select(fragments.Find).ToArray();
        await WriteMissingAsync(keys, written, horizon, cancellationToken);

        var content = CalendarWriter.Compose(header, written.Where(f => f is not null).ToList()!);

        var watermark = await db.FeedWatermarks.AsNoTracking().Where(w => w.Id == FeedWatermark.SingletonId).Select(w => (DateTimeOffset?)w.ChangedAt).SingleOrDefaultAsync(cancellationToken);
        var lastModified = Max(watermark, listed.Select(e => e.UpdatedAt).DefaultIfEmpty(DateTimeOffset.UnixEpoch).Max());
        return RenderedFeed.Of(content, lastModified, fileName, tags);
    }

    /// <summary>
    /// Writes the events no earlier render left text for, and keeps their text for the next. An event that cannot be
    /// written is left out of the feed and logged: one bad row must not take every subscriber's calendar down.
    /// </summary>
    private async Task WriteMissingAsync(List<FragmentKey> keys, EventFragment?[] written, int horizon, CancellationToken cancellationToken)
    {
        var missing = keys.Where((_, i) => written[i] is null).Select(k => k.EventId).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var withoutCancelled = keys.Any(k => k.WithoutCancelledOccurrences);
        var loaded = (await LoadAsync(db.Events.AsNoTracking().Where(e => missing.Contains(e.Id)), withoutCancelled, horizon, cancellationToken)).ToDictionary(e => e.Id);
        FeedMetrics.EventsWritten.Add(missing.Count);
        var scratch = new ArrayBufferWriter<byte>(4096);
        for (var i = 0; i < keys.Count; i++)
        {
            // An event deleted since it was listed is simply gone.
            if (written[i] is null && loaded.TryGetValue(keys[i].EventId, out var e)
                && CalendarWriter.Fragment(e, links.Event(e.Slug), options.Value.UidDomain, scratch, LogUnwritable) is { } fragment)
            {
                written[i] = fragment;
                fragments.Keep(keys[i], fragment);
            }
        }
    }

    private void LogUnwritable(FeedEvent e, Exception exception) =>
        logger.LogError(exception, "Event {Slug} was left out of a calendar feed: it could not be written as iCalendar", e.Slug);

    private async Task<(FeedHeader Header, string FileName, IQueryable<Event> Events, IReadOnlyList<string> Tags)> ScopeAsync(RenderFeedQuery query, CancellationToken cancellationToken)
    {
        var events = EventVisibility.ListedEvents(db);
        switch (query.Scope)
        {
            case FeedScope.Organization:
            {
                var key = query.Key ?? "";
                var organization = Slugs.IsWellFormed(key)
                    ? await db.Organizations.AsNoTracking().BySlugOrAlias(key).Select(o => new { o.Id, o.Slug, o.Name }).FirstOrDefaultAsync(cancellationToken)
                    : null;
                if (organization is null)
                {
                    throw new NotFoundException("organization", key);
                }

                return (new FeedHeader($"Organizer — {organization.Name}", $"Actions {organization.Name} takes part in: as host, co-organizer, participant or endorser."),
                    $"{organization.Slug}.ics",
                    events.Where(e => e.Participations.Any(p => p.OrganizationId == organization.Id)),
                    [FeedTags.Organization(organization.Id)]);
            }

            case FeedScope.City:
            {
                var key = query.Key ?? "";
                var cities = Text.IsPlainText(key) ? await filters.CitiesNamedAsync(key, cancellationToken) : [];
                if (cities.Count == 0)
                {
                    throw new NotFoundException("city", key);
                }

                return (new FeedHeader($"Organizer — {cities[0]}", $"Public actions in {cities[0]}."),
                    $"{Slugs.From(cities[0])}.ics",
                    events.Where(e => e.Place != null && cities.Contains(e.Place.City!)),
                    [FeedTags.City(cities[0])]);
            }

            case FeedScope.Kind:
            {
                if (!KebabEnum.TryParse<EventKind>(query.Key, out var kind))
                {
                    throw new NotFoundException("kind of event", query.Key ?? "");
                }

                return (new FeedHeader($"Organizer — {kind.ToKebab()}", $"Public actions of the kind '{kind.ToKebab()}'."),
                    $"{kind.ToKebab()}.ics",
                    events.Where(e => e.Kind == kind),
                    [FeedTags.Kind(kind)]);
            }

            case FeedScope.Event:
            {
                var key = query.Key ?? "";
                var slug = Slugs.IsWellFormed(key) ? key.ToLowerInvariant() : null;

                // Unlisted events are readable by whoever has the link, so their single-event calendar is too.
                var single = db.Events.AsNoTracking().Where(e => e.Slug == slug).Where(Access.EventVisibility.VisibleTo(null));
                var found = await single.Select(e => new { e.Id, e.Title }).FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("event", key);
                return (new FeedHeader($"Organizer — {found.Title}", found.Title), $"{slug}.ics", single, [FeedTags.Event(found.Id)]);
            }

            case FeedScope.Private:
            {
                var hash = Access.Tokens.Hash(query.Key ?? "");
                var organization = await db.Organizations.AsNoTracking().Where(o => o.FeedSecretHash == hash)
                    .Select(o => new { o.Id, o.Slug, o.Name }).FirstOrDefaultAsync(cancellationToken)
                    ?? throw new NotFoundException("private feed", "(secret)");
                return (new FeedHeader($"Organizer — {organization.Name} (private)", $"All of {organization.Name}'s actions, private ones included. Keep this address secret."),
                    $"{organization.Slug}-private.ics",
                    db.Events.AsNoTracking().Where(e => e.Status != EventStatus.Pending && e.Participations.Any(p => p.OrganizationId == organization.Id)),
                    [FeedTags.Organization(organization.Id)]);
            }

            case FeedScope.Filtered:
                return (new FeedHeader("Organizer — selected actions", "Public actions matching the filters in this feed's address."), "events.ics", events, [FeedTags.AnyEvent]);

            default:
                return (new FeedHeader("Organizer — all actions", "Every public action recorded in Organizer, past and upcoming."), "all.ics", events, [FeedTags.AnyEvent]);
        }
    }

    /// <summary>
    /// The events that reach <paramref name="day"/> or later: a single event by its own last day, a series by its last
    /// date (a series without an end always does).
    /// </summary>
    private static IQueryable<Event> Reaching(IQueryable<Event> events, DateOnly day) =>
        events.Where(e => e.Schedule.EndDate >= day || (e.Recurrence != null && (e.SeriesEndDate == null || e.SeriesEndDate >= day)));

    /// <summary>Everything the given events' VEVENTs show; in no order (the listing query orders the feed).</summary>
    /// <param name="withoutCancelled">A feed that leaves cancelled events out removes a series' cancelled occurrences
    /// (EXDATE) instead of showing them cancelled: left out, they would come back at the rule's time.</param>
    /// <param name="horizon">The last year whose misread occurrences (<see cref="MisreadOccurrences"/>) are written out.</param>
    private async Task<List<FeedEvent>> LoadAsync(IQueryable<Event> events, bool withoutCancelled, int horizon, CancellationToken cancellationToken)
    {
        var rows = await events
            .Select(e => new
            {
                e.Id,
                e.Slug,
                e.Title,
                e.Kind,
                e.Status,
                e.StatusReason,
                e.Schedule,
                e.DateNote,
                e.ParentId,
                ParentTitle = e.ParentId == null ? null : e.Parent!.Title,
                e.Description,
                Place = e.Place == null ? null : new { e.Place.Name, e.Place.Address, e.Place.City, e.Place.Region, e.Place.CountryCode, e.Place.Latitude, e.Place.Longitude },
                e.OnlineUrl,
                Organizations = e.Participations.Select(p => new { p.Organization!.Name, p.Role }).ToList(),
                Speakers = e.Speakers.OrderBy(s => s.Ordinal).Select(s => new { s.Name, s.Role, s.Affiliation }).ToList(),
                e.Attendance,
                e.Tags,
                e.Demands,
                e.Citations,
                e.Sequence,
                e.CreatedAt,
                e.UpdatedAt,
                e.Recurrence,
                e.SeriesEndDate,
                e.ExceptDates,
                e.PlaceId,
                Overrides = e.Overrides.Select(o => new
                {
                    Override = o,
                    Place = o.Place == null ? null : new { o.Place.Name, o.Place.Address, o.Place.City, o.Place.Region, o.Place.CountryCode, o.Place.Latitude, o.Place.Longitude },
                }).ToList(),
            })
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        var sources = await db.LoadExpanderAsync(rows.SelectMany(r => r.Citations), cancellationToken);

        return rows.Select(r =>
        {
            var e = new FeedEvent(
                r.Id, r.Slug, r.Title, r.Kind, r.Status, r.Schedule, r.DateNote, r.ParentId, r.Description,
                r.Place?.Name, r.Place?.Address, r.Place?.City, r.Place?.Region, r.Place?.CountryCode, r.Place?.Latitude, r.Place?.Longitude,
                r.OnlineUrl,
                r.Organizations.Select(o => (o.Name, o.Role)).ToList(),
                r.Speakers.Select(s => (s.Name, s.Role, s.Affiliation)).ToList(),
                r.Attendance, r.Tags, r.Demands, sources(r.Citations), r.Sequence, r.CreatedAt, r.UpdatedAt, r.StatusReason, r.ParentTitle);
            if (r.Recurrence is null)
            {
                return e;
            }

            // The occurrences' effective values come from the one expansion every reader uses.
            var series = new Event
            {
                Slug = r.Slug, Title = r.Title, Status = r.Status, StatusReason = r.StatusReason, Schedule = r.Schedule, PlaceId = r.PlaceId,
                Sequence = r.Sequence, Recurrence = r.Recurrence, SeriesEndDate = r.SeriesEndDate, ExceptDates = r.ExceptDates,
                Overrides = r.Overrides.Select(o => o.Override).ToList(),
            };
            var places = r.Overrides.Where(o => o.Place is not null).ToDictionary(o => o.Override.Occurrence, o => o.Place!);
            var removed = new List<LocalDateTime>();
            var changed = new List<ChangedOccurrence>();
            foreach (var date in r.ExceptDates.Order())
            {
                removed.Add(RuleStart(r.Schedule, date));
            }

            foreach (var o in series.Overrides.OrderBy(o => o.Occurrence))
            {
                if (SeriesExpansion.On(series, o.Occurrence) is not { } occurrence)
                {
                    continue;
                }

                if (withoutCancelled && occurrence.Status == EventStatus.Cancelled)
                {
                    removed.Add(occurrence.RuleStart);
                    continue;
                }

                var place = places.GetValueOrDefault(o.Occurrence);
                var shown = e with
                {
                    Title = occurrence.Title,
                    Status = occurrence.Status,
                    StatusReason = occurrence.StatusReason,
                    Schedule = occurrence.Schedule,
                    Sequence = occurrence.Sequence,
                    CreatedAt = o.CreatedAt,
                    UpdatedAt = o.UpdatedAt > r.UpdatedAt ? o.UpdatedAt : r.UpdatedAt,
                };
                if (place is not null)
                {
                    shown = shown with
                    {
                        PlaceName = place.Name, PlaceAddress = place.Address, PlaceCity = place.City, PlaceRegion = place.Region,
                        PlaceCountryCode = place.CountryCode, Latitude = place.Latitude, Longitude = place.Longitude,
                    };
                }

                changed.Add(new ChangedOccurrence(occurrence.RuleStart, shown, links.Occurrence(r.Slug, o.Occurrence.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
            }

            // Written out with their own times, as a changed occurrence is: clients misread them from the rule.
            foreach (var occurrence in MisreadOccurrences.Of(series, horizon))
            {
                changed.Add(new ChangedOccurrence(occurrence.RuleStart, e with { Schedule = occurrence.Schedule }));
            }

            changed.Sort((a, b) => a.RuleStart.CompareTo(b.RuleStart));
            removed.Sort();
            return e with { Series = new FeedSeries(r.Recurrence, r.SeriesEndDate, removed, changed) };
        }).ToList();
    }

    /// <summary>The wall-clock start the rule gives a date (midnight for an all-day series): what EXDATE names.</summary>
    private static LocalDateTime RuleStart(EventSchedule first, DateOnly date)
    {
        var day = new LocalDate(date.Year, date.Month, date.Day);
        return first.AllDay
            ? day.AtMidnight()
            : day.At(Instant.FromDateTimeOffset(first.StartsAt!.Value).InZone(EventSchedule.FindZone(first.TimeZone)).TimeOfDay);
    }

    private static DateTimeOffset Max(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

    private sealed record Listed(Guid Id, uint Version, uint? ParentVersion, DateTimeOffset UpdatedAt, bool IsSeries);
}
