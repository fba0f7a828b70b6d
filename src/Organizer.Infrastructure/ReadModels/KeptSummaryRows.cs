using Organizer.Domain.Events;

namespace Organizer.Infrastructure.ReadModels;

// Rows of the tables behind GET /api/organizations/{slug}/summary. Database triggers keep them in step with events,
// participations, statements and issuers in the same transaction as every write (the KeptOrganizationSummaries
// migration); no application code writes them. Rows that drop to zero stay, at zero, and readers skip them.

/// <summary>How many listed events (series aside) an organization took part in, for one year of their start date and one kind.</summary>
public sealed class OrganizationEventCount
{
    public Guid OrganizationId { get; set; }
    public int Year { get; set; }
    public EventKind Kind { get; set; }
    public int Events { get; set; }
}

/// <summary>How many statements an organization issued (or co-issued) in one year.</summary>
public sealed class OrganizationStatementCount
{
    public Guid OrganizationId { get; set; }
    public int Year { get; set; }
    public int Statements { get; set; }
}

/// <summary>How many listed events (series aside) two organizations both took part in; kept in both directions.</summary>
public sealed class OrganizationPartner
{
    public Guid OrganizationId { get; set; }
    public Guid PartnerId { get; set; }
    public int SharedEvents { get; set; }
}
