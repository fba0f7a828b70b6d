using Organizer.Domain.Common;
using Organizer.Domain.Events;
using Organizer.Domain.Organizations;

namespace Organizer.Domain.Statements;

/// <summary>A statement issued by one or more organizations (a joint statement has several issuers).</summary>
public sealed class Statement : Entity
{
    public required string Slug { get; set; }
    public required string Title { get; set; }
    public DateOnly IssuedOn { get; set; }
    public DatePrecision DatePrecision { get; set; } = DatePrecision.Day;
    public string? DateNote { get; set; }
    public List<StatementIssuer> Issuers { get; set; } = [];
    public string? Spokesperson { get; set; }
    public string? Summary { get; set; }
    public string? Text { get; set; }
    public Guid? ReadAtEventId { get; set; }
    public Event? ReadAtEvent { get; set; }
    public List<Citation> Citations { get; set; } = [];
}

public sealed class StatementIssuer
{
    public Guid StatementId { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public int Ordinal { get; set; }
}
