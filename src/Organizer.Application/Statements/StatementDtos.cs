using System.Linq.Expressions;
using Organizer.Application.Common.Models;
using Organizer.Domain.Common;
using Organizer.Domain.Statements;

namespace Organizer.Application.Statements;

public sealed record IssuerDto(string Slug, string Name);

public sealed record StatementSummaryDto(
    string Slug,
    string Title,
    DateOnly IssuedOn,
    DatePrecision DatePrecision,
    IReadOnlyList<IssuerDto> Organizations,
    string? ReadAt)
{
    internal static readonly Expression<Func<Statement, StatementSummaryDto>> Projection = s => new StatementSummaryDto(
        s.Slug,
        s.Title,
        s.IssuedOn,
        s.DatePrecision,
        s.Issuers.OrderBy(i => i.Ordinal).Select(i => new IssuerDto(i.Organization!.Slug, i.Organization.Name)).ToList(),
        // A statement names the event it was read at only where anyone may read the event.
        s.ReadAtEvent == null || s.ReadAtEvent.Visibility == Domain.Events.Visibility.Private || s.ReadAtEvent.Status == Domain.Events.EventStatus.Pending ? null : s.ReadAtEvent.Slug);
}

public sealed record StatementDto(
    string Slug,
    string Title,
    DateOnly IssuedOn,
    DatePrecision DatePrecision,
    string? DateNote,
    IReadOnlyList<IssuerDto> Organizations,
    string? Spokesperson,
    string? Summary,
    string? Text,
    string? ReadAt,
    IReadOnlyList<SourceDto> Sources);
