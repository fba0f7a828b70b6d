using Mediator;
using Organizer.Application.Common;
using Organizer.Domain.Events;

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

public sealed class GetSummaryQueryHandler(IOrganizerDbContext db, IOrganizationSummaryQueries summaries, ITimelineQueries timeline)
    : IQueryHandler<GetSummaryQuery, OrganizationSummaryDto>
{
    public async ValueTask<OrganizationSummaryDto> Handle(GetSummaryQuery query, CancellationToken cancellationToken)
    {
        var organization = await db.Organizations.FindRefAsync(query.Slug, cancellationToken);
        var kept = await summaries.ReadAsync(organization.Id, cancellationToken);
        var partners = await timeline.PartnersAsync(organization.Id, cancellationToken);

        var eventYears = kept.Events.GroupBy(c => c.Year).ToDictionary(g => g.Key, g => g.Sum(c => c.Events));
        var statementYears = kept.Statements.ToDictionary(c => c.Year, c => c.Statements);
        var byKind = kept.Events.GroupBy(c => c.Kind).Select(g => new KindCountDto(g.Key, g.Sum(c => c.Events)));
        var years = eventYears.Keys.Union(statementYears.Keys).Order()
            .Select(y => new YearCountDto(y, eventYears.GetValueOrDefault(y), statementYears.GetValueOrDefault(y)))
            .ToList();

        return new OrganizationSummaryDto(
            organization.Slug,
            eventYears.Values.Sum(),
            statementYears.Values.Sum(),
            years,
            byKind.OrderByDescending(k => k.Count).ThenBy(k => k.Kind).ToList(),
            EarlierOrLater(kept.FirstEvent, kept.FirstStatement, latest: false),
            EarlierOrLater(kept.LastEvent, kept.LastStatement, latest: true),
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
