using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;

namespace Organizer.Application.Access;

/// <summary>Revokes a token at once: the next request that presents it gets a 401.</summary>
public sealed record RevokeTokenCommand(string OrganizationSlug, Guid TokenId, Actor Actor) : ICommand;

public sealed class RevokeTokenCommandHandler(IOrganizerDbContext db, IChangeAuthorization access, TimeProvider clock) : ICommandHandler<RevokeTokenCommand>
{
    public async ValueTask<Unit> Handle(RevokeTokenCommand command, CancellationToken cancellationToken)
    {
        var organization = await OrganizationAccess.LoadForWriteAsync(db, access, command.OrganizationSlug, command.Actor, cancellationToken);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == command.TokenId && t.OrganizationId == organization.Id, cancellationToken)
            ?? throw new NotFoundException("token", command.TokenId.ToString("D"));

        token.RevokedAt ??= clock.GetUtcNow();
        db.AuditEntries.Add(command.Actor.Audit("revoke-token", "token", token.Id, organization.Slug, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
