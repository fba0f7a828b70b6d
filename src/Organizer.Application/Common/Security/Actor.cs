namespace Organizer.Application.Common.Security;

public enum ActorKind
{
    Anonymous,
    Organization,
    Admin,
}

/// <summary>
/// Who is asking: the admin, an organization (through one of its tokens) or an anonymous client.
/// Commands carry it explicitly; what it may do is decided in <c>Application/Access</c>, and nowhere else.
/// </summary>
public sealed record Actor(ActorKind Kind, Guid? OrganizationId = null, Guid? TokenId = null, string? ClientAddress = null)
{
    public static readonly Actor Admin = new(ActorKind.Admin);

    public bool IsAdmin => Kind == ActorKind.Admin;

    public bool IsAnonymous => Kind == ActorKind.Anonymous;

    /// <summary>How the audit log names this actor.</summary>
    public string AuditName => Kind switch
    {
        ActorKind.Admin => "admin",
        ActorKind.Organization => $"token:{TokenId:D}",
        _ => $"anonymous:{ClientAddress ?? "unknown"}",
    };

    public Domain.Access.AuditEntry Audit(string action, string entityType, Guid? entityId, string? entityKey, DateTimeOffset at) => new()
    {
        At = at,
        Actor = AuditName,
        TokenId = TokenId,
        Action = action,
        EntityType = entityType,
        EntityId = entityId,
        EntityKey = entityKey,
    };
}
