using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common.Models;
using Organizer.Application.Access;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;
using Organizer.Domain.Events;
using Organizer.Application.Common.Links;
using Organizer.Application.Places;

namespace Organizer.Application.Events;

/// <summary>
/// Builds an event's full representation: what GET answers, and what a write answers with once committed, so that
/// a write's response is exactly what a read right after it would show.
/// </summary>
internal sealed class EventDetails(IOrganizerDbContext db, ILinks links)
{
    /// <summary>What a write answers with: the committed event as its writer now sees it, and its new version.</summary>
    public async Task<WrittenEvent> WrittenAsync(Event e, Actor writer, CancellationToken cancellationToken) =>
        new(await ReadAsync(e.Slug, writer, justWritten: true, cancellationToken), e.Version);

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
            ScheduleFormat.Organizations(e.Participations.Select(x => new EventOrganizationDto(x.Organization!.Slug, x.Organization.Name, x.Role))),
            parent,
            sessions.Select(s =>
            {
                var (sStart, sEnd) = ScheduleFormat.Format(s.Schedule);
                return new SessionDto(s.Slug, s.Title, s.Kind, s.Status, s.Schedule.AllDay, sStart, sEnd);
            }).ToList(),
            e.Speakers.Select(s => new SpeakerDto(s.Name, s.Affiliation, s.Role, s.Organization?.Slug)).ToList(),
            e.Attendance is { } a ? new AttendanceDto(a.Estimate, a.Reported) : null,
            e.Tags,
            e.Demands,
            resolutions.Select(r => new ResolutionDto(r.Ordinal, r.Title, r.Text, r.Outcome, sources(r.Citations))).ToList(),
            statements,
            e.Notes,
            sources(e.Citations),
            e.Sequence,
            links.EventCalendar(e.Slug),
            e.CreatedAt,
            e.UpdatedAt);
    }
}
