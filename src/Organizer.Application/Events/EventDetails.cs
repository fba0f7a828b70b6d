using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common.Models;
using Organizer.Application.Access;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;
using Organizer.Domain.Events;
using Organizer.Application.Common.Links;
using Organizer.Application.Places;
using Organizer.Application.Events.Series;

namespace Organizer.Application.Events;

/// <summary>
/// Builds an event's full representation: what GET answers, and what a write answers with once committed, so that
/// a write's response is exactly what a read right after it would show.
/// </summary>
internal sealed class EventDetails(IOrganizerDbContext db, ILinks links, TimeProvider clock)
{
    /// <summary>What a write answers with: the committed event as its writer now sees it, and its new version.</summary>
    public async Task<WrittenEvent> WrittenAsync(Event e, Actor writer, CancellationToken cancellationToken) =>
        new(await ReadAsync(e.Slug, writer, justWritten: true, cancellationToken), e.Version);

    /// <summary>
    /// What a create answers with, built from the event just saved rather than read back: a new event has no sessions,
    /// resolutions or statements yet, and everything else it shows was either written from <paramref name="e"/> or
    /// looked up for the write (its place, its organizations' slugs and names in <paramref name="references"/>, its
    /// parent's slug, which the body named and the writer may see). The same body as <see cref="WrittenAsync"/>
    /// gives, one round trip per query fewer. An organization missing from the references falls back to reading.
    /// </summary>
    /// <param name="e">The saved event (inside its transaction, or committed), with its place and participations attached.</param>
    /// <param name="parentSlug">The parent the body named (exactly as stored), when the event is a session.</param>
    public async Task<WrittenEvent> CreatedAsync(Event e, EventReferences references, string? parentSlug, Actor writer, CancellationToken cancellationToken)
    {
        if (e.Participations.Any(p => !references.Names.ContainsKey(p.OrganizationId)) || (e.PlaceId is not null && e.Place?.Id != e.PlaceId)
            || (e.ParentId is not null && parentSlug is null) || e.Speakers.Any(s => s.OrganizationId is not null))
        {
            return await WrittenAsync(e, writer, cancellationToken);
        }

        var sources = await db.LoadExpanderAsync(e.Citations.Concat(e.Place?.Citations ?? []), cancellationToken);
        var organizations = e.Participations.Select(p =>
        {
            var (slug, name) = references.Names[p.OrganizationId];
            return new EventOrganizationDto(slug, name, p.Role);
        });
        var series = e.Recurrence is null ? null : SeriesView.Compose(e, clock.GetUtcNow(), await SeriesView.PlacesAsync(db, e, cancellationToken));
        return new(Compose(e, organizations, e.ParentId is null ? null : parentSlug, [], [], [], sources, series), e.Version);
    }

    /// <param name="justWritten">The caller has just written this event, so sees it whatever its visibility (an anonymous submitter sees the pending submission).</param>
    public async Task<EventDetailDto> ReadAsync(string requestedSlug, Actor? viewer, bool justWritten, CancellationToken cancellationToken)
    {
        if (!Slugs.IsWellFormed(requestedSlug))
        {
            throw new NotFoundException("event", requestedSlug);
        }

        var slug = requestedSlug.ToLowerInvariant();
        var e = await db.Events.AsNoTracking().AsSplitQuery()
            .Include(e => e.Place)
            .Include(e => e.Participations).ThenInclude(p => p.Organization)
            .Include(e => e.Speakers.OrderBy(s => s.Ordinal)).ThenInclude(s => s.Organization)
            .Include(e => e.Overrides)
            .FirstOrDefaultAsync(e => e.Slug == slug, cancellationToken);
        if (e is null || !(justWritten || EventVisibility.MayView(e, viewer)))
        {
            throw new NotFoundException("event", requestedSlug);
        }

        // A session names its assembly only to those who may see the assembly.
        var parent = e.ParentId is { } parentId
            ? await db.Events.AsNoTracking().Where(p => p.Id == parentId).Where(EventVisibility.VisibleTo(viewer)).Select(p => p.Slug).FirstOrDefaultAsync(cancellationToken)
            : null;
        var sessions = await EventVisibility.ListedEvents(db)
            .Where(s => s.ParentId == e.Id)
            .OrderBy(s => s.Schedule.SortAt).ThenBy(s => s.Slug)
            .Select(s => new { s.Slug, s.Title, s.Kind, s.Status, s.Schedule })
            .ToListAsync(cancellationToken);
        var resolutions = await db.Resolutions.AsNoTracking()
            .Where(r => r.EventId == e.Id).OrderBy(r => r.Ordinal).ToListAsync(cancellationToken);
        var statements = await db.Statements.AsNoTracking()
            .Where(s => s.ReadAtEventId == e.Id).OrderBy(s => s.IssuedOn).ThenBy(s => s.Slug)
            .Select(s => new StatementRefDto(s.Slug, s.Title, s.IssuedOn)).ToListAsync(cancellationToken);
        var sources = await db.LoadExpanderAsync(
            e.Citations.Concat(resolutions.SelectMany(r => r.Citations)).Concat(e.Place?.Citations ?? []), cancellationToken);

        return Compose(
            e,
            e.Participations.Select(x => new EventOrganizationDto(x.Organization!.Slug, x.Organization.Name, x.Role)),
            parent,
            sessions.Select(s =>
            {
                var (sStart, sEnd) = ScheduleFormat.Format(s.Schedule);
                return new SessionDto(s.Slug, s.Title, s.Kind, s.Status, s.Schedule.AllDay, sStart, sEnd);
            }).ToList(),
            resolutions.Select(r => new ResolutionDto(r.Ordinal, r.Title, r.Text, r.Outcome, sources(r.Citations))).ToList(),
            statements,
            sources,
            e.Recurrence is null ? null : SeriesView.Compose(e, clock.GetUtcNow(), await SeriesView.PlacesAsync(db, e, cancellationToken)));
    }

    private EventDetailDto Compose(
        Event e,
        IEnumerable<EventOrganizationDto> organizations,
        string? parent,
        IReadOnlyList<SessionDto> sessions,
        IReadOnlyList<ResolutionDto> resolutions,
        IReadOnlyList<StatementRefDto> statements,
        Func<IEnumerable<Domain.Common.Citation>, IReadOnlyList<SourceDto>> sources,
        SeriesDto? series)
    {
        var (start, end) = ScheduleFormat.Format(e.Schedule);
        return new EventDetailDto(
            e.Slug,
            e.Title,
            e.Kind,
            e.Status,
            e.Visibility,
            e.Schedule.AllDay,
            start,
            end,
            e.Schedule.TimeZone,
            e.Schedule.Precision,
            e.DateNote,
            e.Description,
            e.Place?.ToDto(sources),
            e.OnlineUrl,
            ScheduleFormat.Organizations(organizations),
            parent,
            sessions,
            e.Speakers.Select(s => new SpeakerDto(s.Name, s.Affiliation, s.Role, s.Organization?.Slug)).ToList(),
            e.Attendance is { } a ? new AttendanceDto(a.Estimate, a.Reported) : null,
            e.Tags,
            e.Demands,
            resolutions,
            statements,
            e.Notes,
            sources(e.Citations),
            e.Sequence,
            links.EventCalendar(e.Slug),
            e.CreatedAt,
            e.UpdatedAt,
            series);
    }
}
