using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common.Security;

namespace Organizer.Application.Access;

/// <summary>Resolves a bearer token to an actor, or null when it is unknown or revoked.</summary>
public sealed record AuthenticateTokenQuery(string Token) : IQuery<Actor?>;

public sealed class AuthenticateTokenQueryHandler(IOrganizerDbContext db) : IQueryHandler<AuthenticateTokenQuery, Actor?>
{
    public async ValueTask<Actor?> Handle(AuthenticateTokenQuery query, CancellationToken cancellationToken)
    {
        if (!Tokens.TryParse(query.Token, out var id, out var secret))
        {
            return null;
        }

        var token = await db.ApiTokens.AsNoTracking()
            .Where(t => t.Id == id && t.RevokedAt == null)
            .Select(t => new { t.OrganizationId, t.SecretHash })
            .FirstOrDefaultAsync(cancellationToken);

        return token is not null && Tokens.Matches(secret, token.SecretHash)
            ? new Actor(ActorKind.Organization, token.OrganizationId, id)
            : null;
    }
}
