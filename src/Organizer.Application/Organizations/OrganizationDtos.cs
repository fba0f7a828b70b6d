using Organizer.Application.Common.Models;
using Organizer.Domain.Organizations;
using Organizer.Application.Common.Links;

namespace Organizer.Application.Organizations;

public sealed record AliasDto(string Name, string Slug);

public sealed record OrganizationDto(
    string Slug,
    string Name,
    IReadOnlyList<AliasDto> Aliases,
    OrganizationKind Kind,
    string? HomeCity,
    string? HomeCountryCode,
    string? Website,
    string? Description,
    OrganizationFeedLinksDto Feed);

public sealed record OrganizationDetailDto(
    string Slug,
    string Name,
    IReadOnlyList<AliasDto> Aliases,
    OrganizationKind Kind,
    string? HomeCity,
    string? HomeCountryCode,
    string? Website,
    string? Description,
    int EventCount,
    OrganizationFeedLinksDto Feed,
    IReadOnlyList<Statements.StatementSummaryDto> Statements,
    IReadOnlyList<SourceDto> Sources);
