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
    DbSet<OccurrenceOverride> OccurrenceOverrides { get; }
    DbSet<Resolution> Resolutions { get; }
    DbSet<Statement> Statements { get; }
    DbSet<SourceDocument> SourceDocuments { get; }
    DbSet<FeedWatermark> FeedWatermarks { get; }
    DbSet<ApiToken> ApiTokens { get; }
    DbSet<AuditEntry> AuditEntries { get; }
    DbSet<IdempotencyRecord> IdempotencyRecords { get; }

    /// <summary>For transactions. SQL that only PostgreSQL speaks lives in Infrastructure's read models.</summary>
    Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade Database { get; }

    /// <summary>
    /// Waits for the lock named <paramref name="key"/>, then holds it until the current transaction commits or rolls
    /// back: callers with the same key take turns, and each sees what the one before it committed.
    /// </summary>
    Task TakeTransactionLockAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="TakeTransactionLockAsync(string, CancellationToken)"/>, then runs <paramref name="then"/> once the
    /// lock is held, so that it sees what the lock's previous holder committed: two statements, one round trip.
    /// </summary>
    Task<List<string>> TakeTransactionLockAsync(string key, IQueryable<string> then, CancellationToken cancellationToken);

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
