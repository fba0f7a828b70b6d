using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Organizer.Application.Feeds;
using Organizer.Domain.Access;
using Organizer.Domain.Events;

namespace Organizer.Infrastructure.Persistence;

/// <summary>
/// Keeps calendar subscribers' view honest on every save, whoever writes: raises an event's SEQUENCE when a change
/// a subscriber would see (time, place, title, status) is saved, moves the feeds' Last-Modified watermark forward,
/// and, once committed, reports what changed to <see cref="IFeedInvalidation"/>. Saves that touch nothing a feed shows
/// (idempotency records, tokens, the audit log) are not reported: otherwise any client able to write such a row could
/// empty the feed cache at will.
/// </summary>
/// <remarks>A host without copies of feeds to drop (the benchmarks) registers no <see cref="IFeedInvalidation"/>.</remarks>
public sealed class FeedChangeInterceptor(TimeProvider clock, IEnumerable<IFeedInvalidation> invalidations)
    : SaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>
    /// The records no feed reads. Every other record counts as feed data, a table added later included, until someone
    /// decides otherwise: a needless render costs milliseconds, a stale feed misinforms subscribers for an hour.
    /// </summary>
    private static readonly HashSet<Type> NotInFeeds = [typeof(IdempotencyRecord), typeof(ApiToken), typeof(AuditEntry), typeof(FeedWatermark)];

    private static readonly HashSet<string> VisibleProperties =
        [nameof(Event.Title), nameof(Event.Status), nameof(Event.PlaceId), nameof(Event.OnlineUrl)];

    private readonly IFeedInvalidation[] listeners = [.. invalidations];

    // The interceptor is a singleton shared by every context; this carries what a save changed from SavingChanges,
    // where the change tracker still knows, to SavedChanges, where it has accepted the changes.
    private readonly ConditionalWeakTable<DbContext, ChangedFeeds> saving = [];

    /// <summary>What transactions saved for feeds, reported when they commit; weak, so one rolled back is simply forgotten.</summary>
    private readonly ConditionalWeakTable<DbTransaction, ChangedFeeds> awaitingCommit = [];

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && Collect(context) is { } changed)
        {
            saving.AddOrUpdate(context, changed);
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
        if (eventData.Context is { } context && saving.TryGetValue(context, out var changed) && saving.Remove(context) && result > 0)
        {
            // Inside a command's own transaction the rows are not visible yet: a feed rendered now would be cached
            // without them for an hour. Report once that transaction commits instead.
            if (context.Database.CurrentTransaction?.GetDbTransaction() is { } transaction)
            {
                if (awaitingCommit.TryGetValue(transaction, out var earlier))
                {
                    earlier.Add(changed);
                }
                else
                {
                    awaitingCommit.Add(transaction, changed);
                }
            }
            else
            {
                await ReportAsync(changed);
            }
        }

        return await base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (awaitingCommit.TryGetValue(transaction, out var changed) && awaitingCommit.Remove(transaction))
        {
            await ReportAsync(changed);
        }
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (awaitingCommit.Remove(transaction))
        {
            throw new NotSupportedException("Commit asynchronously: feed invalidation needs CommitAsync.");
        }
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            saving.Remove(context);
        }

        return base.SaveChangesFailedAsync(eventData, cancellationToken);
    }

    private async Task ReportAsync(ChangedFeeds changed)
    {
        // Not the request's token: the change is committed, and a client that hangs up now must not leave the old
        // feeds in the cache.
        var change = changed.ToFeedChange();
        foreach (var listener in listeners)
        {
            await listener.FeedsChangedAsync(change, CancellationToken.None);
        }
    }

    /// <summary>What a pending save changes that feeds show, or null when it changes nothing they show.</summary>
    private static ChangedFeeds? Collect(DbContext context)
    {
        ChangedFeeds? changed = null;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is (EntityState.Added or EntityState.Modified or EntityState.Deleted) && !NotInFeeds.Contains(entry.Metadata.ClrType))
            {
                changed ??= new ChangedFeeds();
                if (EventOf(entry) is { } eventId)
                {
                    changed.EventIds.Add(eventId);
                }
                else
                {
                    changed.BeyondEvents = true;
                }
            }
        }

        return changed;
    }

    private static Guid? EventOf(EntityEntry entry) => entry.Entity switch
    {
        Event e => e.Id,
        EventParticipation p => p.EventId,
        EventSpeaker s => s.EventId,
        Resolution r => r.EventId,
        // An event's sources are owned rows, saved as part of the event.
        _ when entry.Metadata.FindOwnership() is { } ownership && ownership.PrincipalEntityType.ClrType == typeof(Event)
            => entry.Property(ownership.Properties[0].Name).CurrentValue as Guid?,
        _ => null,
    };

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

    private sealed class ChangedFeeds
    {
        public HashSet<Guid> EventIds { get; } = [];

        public bool BeyondEvents { get; set; }

        public void Add(ChangedFeeds other)
        {
            EventIds.UnionWith(other.EventIds);
            BeyondEvents |= other.BeyondEvents;
        }

        public FeedChange ToFeedChange() => new([.. EventIds], BeyondEvents);
    }
}
