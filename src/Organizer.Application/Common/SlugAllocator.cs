using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace Organizer.Application.Common;

/// <summary>
/// Picks the slug of a new record when the server chooses it: the base made from its name, or the base with the next
/// free "-2", "-3"… The pick and the insert must be one atomic step, or two requests naming the same thing at once
/// both find the same slug free and one of them fails on the unique index (a 409 for a value the client never chose).
/// So each pick first takes a lock that lasts until the command's transaction ends (in PostgreSQL, an advisory lock):
/// requests that could pick the same slug take turns, and each sees the slug its predecessor committed.
/// </summary>
/// <remarks>
/// Rejected: retrying the insert with the next suffix on a unique violation. Under twenty identical requests every
/// round has one winner, and telling the slug index's violation from any other needs Npgsql's types here.
/// </remarks>
public sealed partial class SlugAllocator(IOrganizerDbContext db)
{
    /// <summary>Room for a "-NN" suffix under <see cref="Slugs.MaxLength"/>, and still readable in a URL.</summary>
    public const int BaseLength = 100;

    /// <summary>How many candidates the first look-up asks about; each further one asks four times as many.</summary>
    private const int FirstBatch = 16;

    public Task<string> EventAsync(string baseSlug, Guid id, CancellationToken cancellationToken) =>
        PickAsync("event", db.Events.Select(e => e.Slug), baseSlug, id, cancellationToken);

    public Task<string> PlaceAsync(string baseSlug, Guid id, CancellationToken cancellationToken) =>
        PickAsync("place", db.Places.Select(p => p.Slug), baseSlug, id, cancellationToken);

    public Task<string> StatementAsync(string baseSlug, Guid id, CancellationToken cancellationToken) =>
        PickAsync("statement", db.Statements.Select(s => s.Slug), baseSlug, id, cancellationToken);

    /// <summary>Organization and alias slugs are one namespace, so a free slug is one that neither table holds.</summary>
    public async Task<string> OrganizationAsync(string baseSlug, Guid id, CancellationToken cancellationToken)
    {
        await LockOrganizationSlugsAsync(cancellationToken);
        return await PickAsync(null, db.Organizations.Select(o => o.Slug).Concat(db.OrganizationAliases.Select(a => a.Slug)), baseSlug, id, cancellationToken);
    }

    /// <summary>
    /// Makes every organization save take its turn until the transaction ends. Organization and alias slugs live in
    /// two tables, so no unique index can stop an organization's slug and another's alias from being saved at once;
    /// checking under this lock can. Organizations are created by the admin, rarely: one lock for all costs nothing.
    /// </summary>
    public Task LockOrganizationSlugsAsync(CancellationToken cancellationToken) => LockAsync("organization", cancellationToken);

    private async Task<string> PickAsync(string? kind, IQueryable<string> slugs, string baseSlug, Guid id, CancellationToken cancellationToken)
    {
        baseSlug = Slugs.Truncate(baseSlug, BaseLength);
        if (baseSlug.Length == 0)
        {
            baseSlug = Slugs.FromId(id);
        }

        // Keyed on the stem, the base without its trailing "-<number>" parts: "rally" picks "rally-2" while "rally-2"
        // (a title ending in 2) picks itself, so both must take the same turn. The lock and the first look-up travel
        // together.
        var lockKey = kind is null ? null : $"{kind}:{TrailingNumbers().Replace(baseSlug, "")}";

        // The candidates in order (the base, then base-2, base-3…), asked by equality a batch at a time: the index on
        // slugs answers that under any collation, where "LIKE 'base-%'" needs the C collation and otherwise reads
        // every slug (three quarters of a second per create at a million events).
        for (int first = 1, count = FirstBatch; ; first += count, count *= 4)
        {
            var candidates = Enumerable.Range(first, count)
                .Select(n => n == 1 ? baseSlug : $"{baseSlug}-{n.ToString(CultureInfo.InvariantCulture)}").ToList();
            var query = slugs.Where(s => candidates.Contains(s));
            var taken = (lockKey is null ? await query.ToListAsync(cancellationToken) : await LockThenListAsync(lockKey, query, cancellationToken))
                .ToHashSet();
            lockKey = null;
            if (candidates.FirstOrDefault(c => !taken.Contains(c)) is { } free)
            {
                return free;
            }
        }
    }

    private async Task LockAsync(string key, CancellationToken cancellationToken)
    {
        EnsureTransaction();
        await db.TakeTransactionLockAsync(key, cancellationToken);
    }

    private Task<List<string>> LockThenListAsync(string key, IQueryable<string> slugs, CancellationToken cancellationToken)
    {
        EnsureTransaction();
        return db.TakeTransactionLockAsync(key, slugs, cancellationToken);
    }

    private void EnsureTransaction()
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Picking a slug needs the command's transaction: the lock must last until the new record is committed.");
        }
    }

    [GeneratedRegex("(-[0-9]+)+$")]
    private static partial Regex TrailingNumbers();
}
