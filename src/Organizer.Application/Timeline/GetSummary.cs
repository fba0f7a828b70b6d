using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Domain.Events;
using Organizer.Application.Access;

namespace Organizer.Application.Timeline;

public sealed record YearCountDto(int Year, int Events, int Statements);

public sealed record KindCountDto(EventKind Kind, int Count);

public sealed record ActionRefDto(TimelineItemType Type, string Slug, string Title, string Date);

public sealed record PartnerDto(string Slug, string Name, int SharedEvents);

public sealed record OrganizationSummaryDto(
    string Organization,
    int Events,
    int Statements,
    IReadOnlyList<YearCountDto> ByYear,
    IReadOnlyList<KindCountDto> ByKind,
    ActionRefDto? First,
    ActionRefDto? Last,
    IReadOnlyList<PartnerDto> ActsMostOftenWith);

/// <summary>An organization's record at a glance: how much, when, what kind, and with whom it acts.</summary>
public sealed record GetSummaryQuery(string Slug) : IQuery<OrganizationSummaryDto>, IReadsReplica;

public sealed class GetSummaryQueryHandler(IOrganizerDbContext db, ITimelineQueries timeline) : IQueryHandler<GetSummaryQuery, OrganizationSummaryDto>
{
    public async ValueTask<OrganizationSummaryDto> Handle(GetSummaryQuery query, CancellationToken cancellationToken)
    {
        var organization = await db.Organizations.FindRefAsync(query.Slug, cancellationToken);

        var events = EventVisibility.ListedEvents(db).Where(e => e.Participations.Any(p => p.OrganizationId == organization.Id));
        var statements = db.Statements.AsNoTracking().Where(s => s.Issuers.Any(i => i.OrganizationId == organization.Id));

        var eventYears = await events.GroupBy(e => e.Schedule.StartDate.Year).Select(g => new { Year = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var statementYears = await statements.GroupBy(s => s.IssuedOn.Year).Select(g => new { Year = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var byKind = await events.GroupBy(e => e.Kind).Select(g => new KindCountDto(g.Key, g.Count())).ToListAsync(cancellationToken);

        var firstEvent = await events.OrderBy(e => e.Schedule.SortAt).Select(e => new { e.Slug, e.Title, e.Schedule.StartDate }).FirstOrDefaultAsync(cancellationToken);
        var lastEvent = await events.OrderByDescending(e => e.Schedule.SortAt).Select(e => new { e.Slug, e.Title, e.Schedule.StartDate }).FirstOrDefaultAsync(cancellationToken);
        var firstStatement = await statements.OrderBy(s => s.IssuedOn).Select(s => new { s.Slug, s.Title, s.IssuedOn }).FirstOrDefaultAsync(cancellationToken);
        var lastStatement = await statements.OrderByDescending(s => s.IssuedOn).Select(s => new { s.Slug, s.Title, s.IssuedOn }).FirstOrDefaultAsync(cancellationToken);

        var partners = await timeline.PartnersAsync(organization.Id, cancellationToken);

        var years = eventYears.Select(y => y.Year).Union(statementYears.Select(y => y.Year)).Order()
            .Select(y => new YearCountDto(y, eventYears.FirstOrDefault(e => e.Year == y)?.Count ?? 0, statementYears.FirstOrDefault(s => s.Year == y)?.Count ?? 0))
            .ToList();

        var firstRef = EarlierOrLater(
            firstEvent is null ? null : new ActionRefDto(TimelineItemType.Event, firstEvent.Slug, firstEvent.Title, firstEvent.StartDate.ToString("yyyy-MM-dd")),
            firstStatement is null ? null : new ActionRefDto(TimelineItemType.Statement, firstStatement.Slug, firstStatement.Title, firstStatement.IssuedOn.ToString("yyyy-MM-dd")),
            latest: false);
        var lastRef = EarlierOrLater(
            lastEvent is null ? null : new ActionRefDto(TimelineItemType.Event, lastEvent.Slug, lastEvent.Title, lastEvent.StartDate.ToString("yyyy-MM-dd")),
            lastStatement is null ? null : new ActionRefDto(TimelineItemType.Statement, lastStatement.Slug, lastStatement.Title, lastStatement.IssuedOn.ToString("yyyy-MM-dd")),
            latest: true);

        return new OrganizationSummaryDto(
            organization.Slug,
            eventYears.Sum(y => y.Count),
            statementYears.Sum(y => y.Count),
            years,
            byKind.OrderByDescending(k => k.Count).ThenBy(k => k.Kind).ToList(),
            firstRef,
            lastRef,
            partners);
    }

    /// <summary>The earlier (or, with <paramref name="latest"/>, the later) of two actions; ISO dates compare as text.</summary>
    private static ActionRefDto? EarlierOrLater(ActionRefDto? a, ActionRefDto? b, bool latest)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }

        var aFirst = string.CompareOrdinal(a.Date, b.Date) <= 0;
        return aFirst != latest ? a : b;
    }
}
