using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Organizer.Application;
using Organizer.Application.Common.Exceptions;
using Organizer.Domain.Access;
using Organizer.Domain.Common;
using Organizer.Domain.Events;
using Organizer.Domain.Organizations;
using Organizer.Domain.Places;
using Organizer.Domain.Sources;
using Organizer.Domain.Statements;

namespace Organizer.Infrastructure.Persistence;

/// <remarks>
/// Add a migration with (from the repository root):
/// <c>dotnet ef migrations add &lt;Name&gt; --project migrations --startup-project src/Organizer.Api</c>
/// </remarks>
public sealed class OrganizerDbContext(DbContextOptions<OrganizerDbContext> options) : DbContext(options), IOrganizerDbContext
{
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<OrganizationAlias> OrganizationAliases => Set<OrganizationAlias>();
    public DbSet<Place> Places => Set<Place>();
    public DbSet<Event> Events => Set<Event>();
    public DbSet<EventParticipation> EventParticipations => Set<EventParticipation>();
    public DbSet<EventSpeaker> EventSpeakers => Set<EventSpeaker>();
    public DbSet<OccurrenceOverride> OccurrenceOverrides => Set<OccurrenceOverride>();
    public DbSet<Resolution> Resolutions => Set<Resolution>();
    public DbSet<Statement> Statements => Set<Statement>();
    public DbSet<SourceDocument> SourceDocuments => Set<SourceDocument>();
    public DbSet<FeedWatermark> FeedWatermarks => Set<FeedWatermark>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    /// <summary>
    /// The two failures a client's timing can cause leave this layer as the application's own exceptions, so that
    /// nothing above it needs EF's or Npgsql's types: a row changed since it was read, and a unique value taken by a
    /// save that committed first.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new PreconditionFailedException(
                "Someone else changed this record while your change was being saved; fetch it again and reapply your change.");
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new ConflictException("A record with the same identifying value was saved at the same time; try again.");
        }
    }

    /// <remarks>
    /// A PostgreSQL advisory lock on the key's 64-bit hash. Transaction-scoped, so COMMIT or ROLLBACK releases it and no
    /// path can leave it held; a hash collision only makes unrelated callers wait their turn.
    /// </remarks>
    public async Task TakeTransactionLockAsync(string key, CancellationToken cancellationToken) =>
        await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))", cancellationToken);

    /// <remarks>
    /// One command of two statements, which Npgsql sends in one round trip. Under READ COMMITTED each statement takes
    /// its own snapshot when it starts, and the server starts the query only once the lock statement has finished,
    /// so the query sees every commit of the lock's previous holder. The command is EF's for the query, sent by Npgsql
    /// itself: EF's command log and interceptors do not see it (PostgreSQL's statement log does), and a failure reaches
    /// the mediator's <c>DatabaseAvailabilityBehaviour</c> as Npgsql's exception, which it translates as any other.
    /// </remarks>
    public async Task<List<string>> TakeTransactionLockAsync(string key, IQueryable<string> then, CancellationToken cancellationToken)
    {
        var transaction = Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A transaction lock needs a transaction.");
        await using var command = then.CreateDbCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock(hashtextextended(@{LockKeyParameter}, 0));\n{command.CommandText}";
        command.Parameters.Add(new NpgsqlParameter<string>(LockKeyParameter, key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var rows = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private const string LockKeyParameter = "organizer_lock_key";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OrganizerDbContext).Assembly);

        // Ids are chosen by the domain (Guid v7) before a record is saved. EF must know that: a new speaker added to
        // a loaded event's collection with a "generated" key that is already set is taken for an existing row and
        // UPDATEd, which matches nothing and fails as a concurrency conflict.
        foreach (var type in modelBuilder.Model.GetEntityTypes().Where(t => typeof(Entity).IsAssignableFrom(t.ClrType)))
        {
            modelBuilder.Entity(type.ClrType).Property(nameof(Entity.Id)).ValueGeneratedNever();
        }
    }
}
