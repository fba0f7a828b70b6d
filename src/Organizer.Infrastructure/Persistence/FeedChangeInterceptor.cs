using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Organizer.Domain.Events;
using Organizer.Domain.Organizations;
using Organizer.Domain.Places;
using Organizer.Domain.Statements;

namespace Organizer.Infrastructure.Persistence;

/// <summary>
/// Keeps calendar subscribers' view honest on every save, whoever writes: raises an event's SEQUENCE when a change
/// a subscriber would see (time, place, title, status) is saved, moves the feeds' Last-Modified watermark forward,
/// and, once committed, evicts the cached feeds. Saves that touch nothing a feed shows (idempotency records, tokens,
/// the audit log) leave the cache alone: otherwise any client able to write such a row could empty it at will.
/// </summary>
public sealed class FeedChangeInterceptor(TimeProvider clock, IServiceProvider services) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public const string FeedsCacheTag = "feeds";

    /// <summary>Transactions that saved a change feeds show; weak, so one rolled back is simply forgotten.</summary>
    private readonly ConditionalWeakTable<DbTransaction, FeedChangeInterceptor> awaitingCommit = new();

    private static readonly HashSet<string> VisibleProperties =
        [nameof(Event.Title), nameof(Event.Status), nameof(Event.PlaceId), nameof(Event.OnlineUrl)];

    // The interceptor is a singleton shared by every context; this carries "this save touched feeds" from
    // SavingChanges, where the change tracker still knows, to SavedChanges, where it has accepted the changes.
    private readonly ConditionalWeakTable<DbContext, object> touchingFeeds = [];

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && TouchesFeeds(context))
        {
            touchingFeeds.AddOrUpdate(context, context);
            RaiseSequences(context);
            var watermark = await context.Set<FeedWatermark>().FindAsync([FeedWatermark.SingletonId], cancellationToken);
            if (watermark is null)
            {
                context.Add(new FeedWatermark { ChangedAt = clock.GetUtcNow() });
            }
            else
            {
                // Never backwards, even if clocks disagree.
                var now = clock.GetUtcNow();
                watermark.ChangedAt = now > watermark.ChangedAt ? now : watermark.ChangedAt.AddTicks(10);
            }
        }

        return await base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        throw new NotSupportedException("Save asynchronously: feed invalidation needs SaveChangesAsync.");

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && touchingFeeds.Remove(context) && result > 0)
        {
            // Inside a command's own transaction the rows are not visible yet: a feed rendered now would be cached
            // without them for an hour. Evict once that transaction commits instead.
            if (context.Database.CurrentTransaction?.GetDbTransaction() is { } transaction)
            {
                awaitingCommit.AddOrUpdate(transaction, this);
            }
            else
            {
                await EvictAsync(cancellationToken);
            }
        }

        return await base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (awaitingCommit.Remove(transaction))
        {
            await EvictAsync(cancellationToken);
        }
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (awaitingCommit.Remove(transaction))
        {
            throw new NotSupportedException("Commit asynchronously: feed invalidation needs CommitAsync.");
        }
    }

    private async Task EvictAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<IOutputCacheStore>() is { } cache)
        {
            await cache.EvictByTagAsync(FeedsCacheTag, cancellationToken);
        }
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            touchingFeeds.Remove(context);
        }

        return base.SaveChangesFailedAsync(eventData, cancellationToken);
    }

    private static bool TouchesFeeds(DbContext context) =>
        context.ChangeTracker.Entries().Any(e =>
            e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
            && e.Entity is Event or EventParticipation or EventSpeaker or Resolution or Place or Organization or OrganizationAlias or Statement);

    private static void RaiseSequences(DbContext context)
    {
        foreach (var entry in context.ChangeTracker.Entries<Event>().Where(e => e.State == EntityState.Modified))
        {
            var visible = entry.Properties.Any(p => p.IsModified && VisibleProperties.Contains(p.Metadata.Name))
                || ScheduleChanged(entry);
            if (visible && !entry.Property(e => e.Sequence).IsModified)
            {
                entry.Entity.Sequence++;
            }
        }
    }

    private static bool ScheduleChanged(EntityEntry<Event> entry) =>
        entry.ComplexProperty(e => e.Schedule).Properties.Any(p => p.IsModified);
}
