using Microsoft.EntityFrameworkCore;
using Organizer.Domain.Access;
using Organizer.Domain.Events;
using Organizer.Domain.Organizations;
using Organizer.Domain.Places;
using Organizer.Domain.Sources;
using Organizer.Domain.Statements;

namespace Organizer.Application;

/// <summary>The persistence seam handlers use directly: EF's DbSets, no repository on top.</summary>
public interface IOrganizerDbContext
{
    DbSet<Organization> Organizations { get; }
    DbSet<OrganizationAlias> OrganizationAliases { get; }
    DbSet<Place> Places { get; }
    DbSet<Event> Events { get; }
    DbSet<EventParticipation> EventParticipations { get; }
    DbSet<EventSpeaker> EventSpeakers { get; }
    DbSet<Resolution> Resolutions { get; }
    DbSet<Statement> Statements { get; }
    DbSet<SourceDocument> SourceDocuments { get; }
    DbSet<FeedWatermark> FeedWatermarks { get; }
    DbSet<ApiToken> ApiTokens { get; }
    DbSet<AuditEntry> AuditEntries { get; }
    DbSet<IdempotencyRecord> IdempotencyRecords { get; }

    /// <summary>For the few queries LINQ can't say well (the timeline's ordered union).</summary>
    Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade Database { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
