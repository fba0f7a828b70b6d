using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common;
using Organizer.Domain.Access;

namespace Organizer.Infrastructure.Persistence;

/// <summary>
/// Idempotency records in PostgreSQL. Every statement bypasses the change tracker: the context is the request's own,
/// and the command that runs next must find it as clean as if no key had been sent. The middleware calls it outside the
/// mediator, so it translates an unavailable database itself (<see cref="DatabaseFailures"/>).
/// </summary>
public sealed class IdempotencyStore(OrganizerDbContext db) : IIdempotencyStore
{
    public Task<bool> TryClaimAsync(IdempotencyRecord record, DateTimeOffset expiredBefore, CancellationToken cancellationToken) =>
        DatabaseFailures.TranslateAsync(() => ClaimAsync(record, expiredBefore, cancellationToken));

    public Task<IdempotencyRecord?> FindAsync(string scope, string key, CancellationToken cancellationToken) =>
        DatabaseFailures.TranslateAsync(() =>
            db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Scope == scope && r.Key == key, cancellationToken));

    public Task KeepAnswerAsync(IdempotencyRecord record, CancellationToken cancellationToken) =>
        DatabaseFailures.TranslateAsync(() => db.IdempotencyRecords.Where(r => r.Id == record.Id).ExecuteUpdateAsync(
            set => set
                .SetProperty(r => r.StatusCode, record.StatusCode)
                .SetProperty(r => r.ContentType, record.ContentType)
                .SetProperty(r => r.Location, record.Location)
                .SetProperty(r => r.ETag, record.ETag)
                .SetProperty(r => r.Body, record.Body),
            cancellationToken));

    public Task ReleaseAsync(IdempotencyRecord record, CancellationToken cancellationToken) =>
        DatabaseFailures.TranslateAsync(() => db.IdempotencyRecords.Where(r => r.Id == record.Id).ExecuteDeleteAsync(cancellationToken));

    public Task<int> DeleteExpiredAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken) =>
        DatabaseFailures.TranslateAsync(() => db.IdempotencyRecords.Where(r => r.CreatedAt < expiredBefore).ExecuteDeleteAsync(cancellationToken));

    private async Task<bool> ClaimAsync(IdempotencyRecord record, DateTimeOffset expiredBefore, CancellationToken cancellationToken)
    {
        if (await InsertAsync(record, cancellationToken))
        {
            return true;
        }

        var expired = await db.IdempotencyRecords
            .Where(r => r.Scope == record.Scope && r.Key == record.Key && r.CreatedAt < expiredBefore)
            .ExecuteDeleteAsync(cancellationToken);
        return expired > 0 && await InsertAsync(record, cancellationToken);
    }

    /// <summary>
    /// The unique (scope, key) index decides between concurrent duplicates. ON CONFLICT makes losing an ordinary answer
    /// rather than a failed statement.
    /// </summary>
    private async Task<bool> InsertAsync(IdempotencyRecord record, CancellationToken cancellationToken)
    {
        var ids = await db.Database.SqlQuery<long>($"""
            INSERT INTO idempotency_records (scope, key, request_hash, created_at)
            VALUES ({record.Scope}, {record.Key}, {record.RequestHash}, {record.CreatedAt})
            ON CONFLICT (scope, key) DO NOTHING
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return false;
        }

        record.Id = ids[0];
        return true;
    }
}
