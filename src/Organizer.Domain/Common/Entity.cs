namespace Organizer.Domain.Common;

/// <summary>
/// Base of every stored record: a permanent id (feeds derive iCalendar UIDs from it, so it never changes),
/// audit timestamps set by the persistence layer, and a concurrency token.
/// </summary>
public abstract class Entity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Maps to PostgreSQL's xmin; EF uses it for optimistic concurrency.</summary>
    public uint Version { get; set; }
}
