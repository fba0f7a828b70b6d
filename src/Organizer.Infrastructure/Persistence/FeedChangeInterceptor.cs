using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Organizer.Application.Feeds;
using Organizer.Domain.Access;
using Organizer.Domain.Events;
using Organizer.Domain.Organizations;

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

            // The feeds an event leaves are found from what it was before the save; those it enters, after. A new
            // event was in no feed before, so a create asks only once, and after the save (SavedChangesAsync).
            var added = AddedEvents(context);
            changed.NewlySaved.UnionWith(added.Keys);
            await changed.AddScopesAsync(context, changed.EventIds.Where(id => !added.ContainsKey(id)).ToList(), cancellationToken);
            await TouchEventsAsync(context, changed.EventIds, cancellationToken);
            if (!OnlyAdds(context, added))
            {
                await MoveWatermarkAsync(context, cancellationToken);
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
            // A new event's organizations, city and kind are what this save wrote: the tracked entity has them all,
            // so they cost no round trip. The others are read as the database now holds them.
            var remaining = changed.AddScopesOfSaved(context);
            await changed.AddScopesAsync(context, remaining, cancellationToken);

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
                else if (OwnDetailsOf(entry) is { } organizationId)
                {
                    changed.OrganizationIds.Add(organizationId);
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
        // A changed occurrence shows in every feed its series is in (and its own VEVENT there, by RECURRENCE-ID).
        OccurrenceOverride o => o.EventId,
        // An event's sources are owned rows, saved as part of the event.
        _ when entry.Metadata.FindOwnership() is { } ownership && ownership.PrincipalEntityType.ClrType == typeof(Event)
            => entry.Property(ownership.Properties[0].Name).CurrentValue as Guid?,
        _ => null,
    };

    /// <summary>
    /// An organization's own details outside its name (its website, description, feed secret, aliases) show only in
    /// its own feeds; its name shows in every event it takes part in, so a new name counts as beyond events.
    /// </summary>
    private static Guid? OwnDetailsOf(EntityEntry entry) => entry switch
    {
        { Entity: Organization o, State: EntityState.Modified } when !entry.Property(nameof(Organization.Name)).IsModified => o.Id,
        { Entity: Organization o, State: EntityState.Added } => o.Id,
        { Entity: OrganizationAlias a } => a.OrganizationId,
        _ => null,
    };

    /// <summary>
    /// Makes every save that changes what an event shows (its organizations, speakers, sources) a change of the
    /// event's own row too: its LAST-MODIFIED and its version then move, and a copy of its VEVENT kept under the old
    /// version is never served again.
    /// </summary>
    private async Task TouchEventsAsync(DbContext context, HashSet<Guid> eventIds, CancellationToken cancellationToken)
    {
        var tracked = context.ChangeTracker.Entries<Event>().ToDictionary(e => e.Entity.Id);
        var untracked = new List<Guid>();
        var now = clock.GetUtcNow();
        foreach (var id in eventIds)
        {
            if (!tracked.TryGetValue(id, out var entry))
            {
                untracked.Add(id);
            }
            else if (entry.State == EntityState.Unchanged)
            {
                entry.Entity.UpdatedAt = now;
            }
        }

        if (untracked.Count > 0)
        {
            await context.Set<Event>().Where(e => untracked.Contains(e.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.UpdatedAt, now), cancellationToken);
        }
    }

    private static Dictionary<Guid, Event> AddedEvents(DbContext context) =>
        context.ChangeTracker.Entries<Event>().Where(e => e.State == EntityState.Added).ToDictionary(e => e.Entity.Id, e => e.Entity);

    /// <summary>
    /// Whether the save only adds new events (with their organizations, speakers, sources and new places), changing
    /// and deleting nothing a feed shows. Then the watermark need not move: every feed such a save changes now lists
    /// a new event, whose own last-modified time (the time of this save) moves that feed's Last-Modified forward, and
    /// the other feeds did not change. The watermark is one row that every other save updates: held from the
    /// save until the commit, it would make concurrent creates wait for each other's commit, one at a time.
    /// </summary>
    private static bool OnlyAdds(DbContext context, Dictionary<Guid, Event> added)
    {
        if (added.Count == 0)
        {
            return false;
        }

        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted) || NotInFeeds.Contains(entry.Metadata.ClrType))
            {
                continue;
            }

            // A new place is seen only through the events that name it; an existing event naming it is a modified one.
            var isPartOfANewEvent = entry.State == EntityState.Added
                && (entry.Entity is Domain.Places.Place || (EventOf(entry) is { } eventId && added.ContainsKey(eventId)));
            if (!isPartOfANewEvent)
            {
                return false;
            }
        }

        return true;
    }

    private async Task MoveWatermarkAsync(DbContext context, CancellationToken cancellationToken)
    {
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

    /// <summary>
    /// Raises the SEQUENCE of each changed event whose own VEVENT changed. A series' VEVENT is its master: its rule
    /// (RRULE) and removed dates (EXDATE) are in it, a changed occurrence is not. An occurrence's override carries its
    /// own SEQUENCE, raised by whoever changes it, so a change to one date alone leaves the master's where it is.
    /// </summary>
    private static void RaiseSequences(DbContext context)
    {
        foreach (var entry in context.ChangeTracker.Entries<Event>().Where(e => e.State == EntityState.Modified))
        {
            var visible = entry.Properties.Any(p => p.IsModified && VisibleProperties.Contains(p.Metadata.Name))
                || ScheduleChanged(entry) || RuleChanged(entry);
            if (visible && !entry.Property(e => e.Sequence).IsModified)
            {
                entry.Entity.Sequence++;
            }
        }
    }

    private static bool ScheduleChanged(EntityEntry<Event> entry) =>
        entry.ComplexProperty(e => e.Schedule).Properties.Any(p => p.IsModified);

    /// <summary>
    /// Whether the series' rule or its removed dates differ from what was loaded. Compared as text and as dates: a rule
    /// read again from the same body is a new record whose lists are new objects, which EF reports as modified.
    /// </summary>
    private static bool RuleChanged(EntityEntry<Event> entry)
    {
        var rule = entry.Property(e => e.Recurrence);
        var removed = entry.Property(e => e.ExceptDates);
        return (rule.IsModified && rule.OriginalValue?.ToString() != rule.CurrentValue?.ToString())
            || (removed.IsModified && !(removed.OriginalValue ?? []).Order().SequenceEqual((removed.CurrentValue ?? []).Order()));
    }

    private sealed class ChangedFeeds
    {
        public HashSet<Guid> EventIds { get; } = [];

        public bool BeyondEvents { get; set; }

        public HashSet<Guid> OrganizationIds { get; } = [];

        public HashSet<string> Cities { get; } = new(StringComparer.Ordinal);

        public HashSet<EventKind> Kinds { get; } = [];

        /// <summary>
        /// Adds the scopes of the saved events that were new, from the tracked entities, and returns the other ids.
        /// Only an event whose place and organizations are all in hand counts: one saved with just a place id, say,
        /// is left to <see cref="AddScopesAsync"/>.
        /// </summary>
        public List<Guid> AddScopesOfSaved(DbContext context)
        {
            if (BeyondEvents)
            {
                return [];
            }

            var created = context.ChangeTracker.Entries<Event>().Where(e => NewlySaved.Contains(e.Entity.Id)).ToDictionary(e => e.Entity.Id, e => e.Entity);
            var remaining = new List<Guid>();
            foreach (var id in EventIds)
            {
                if (created.TryGetValue(id, out var e) && (e.PlaceId is null || e.Place?.Id == e.PlaceId))
                {
                    Kinds.Add(e.Kind);
                    if (e.Place?.City is { } city)
                    {
                        Cities.Add(city);
                    }

                    OrganizationIds.UnionWith(e.Participations.Select(p => p.OrganizationId));
                }
                else
                {
                    remaining.Add(id);
                }
            }

            return remaining;
        }

        /// <summary>The events this save inserts (recorded before the save, when the tracker still says so).</summary>
        public HashSet<Guid> NewlySaved { get; } = [];

        /// <summary>Adds the organizations, cities and kinds those events have as the database now holds them.</summary>
        public async Task AddScopesAsync(DbContext context, List<Guid> ids, CancellationToken cancellationToken)
        {
            if (ids.Count == 0 || BeyondEvents)
            {
                return;
            }

            // A city's feed holds a series by the series' own place (RenderFeed), so a date moved elsewhere changes no
            // other city's feed.
            var events = await context.Set<Event>().AsNoTracking().Where(e => ids.Contains(e.Id))
                .Select(e => new { e.Kind, City = e.Place == null ? null : e.Place.City })
                .ToListAsync(cancellationToken);
            var organizations = await context.Set<EventParticipation>().AsNoTracking().Where(p => ids.Contains(p.EventId))
                .Select(p => p.OrganizationId).ToListAsync(cancellationToken);
            Kinds.UnionWith(events.Select(e => e.Kind));
            Cities.UnionWith(events.Where(e => e.City is not null).Select(e => e.City!));
            OrganizationIds.UnionWith(organizations);
        }

        public void Add(ChangedFeeds other)
        {
            EventIds.UnionWith(other.EventIds);
            BeyondEvents |= other.BeyondEvents;
            OrganizationIds.UnionWith(other.OrganizationIds);
            Cities.UnionWith(other.Cities);
            Kinds.UnionWith(other.Kinds);
        }

        public FeedChange ToFeedChange() => new([.. EventIds], BeyondEvents, [.. OrganizationIds], [.. Cities], [.. Kinds]);
    }
}
