namespace Organizer.Domain.Access;

/// <summary>Who changed what, and when: one row per write.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>"admin", "anonymous" or "token:{id}".</summary>
    public required string Actor { get; set; }

    public Guid? TokenId { get; set; }
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public Guid? EntityId { get; set; }
    public string? EntityKey { get; set; }
}
