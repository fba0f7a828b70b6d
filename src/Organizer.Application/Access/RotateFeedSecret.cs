using Mediator;
using Organizer.Application.Common.Security;
using Organizer.Application.Common.Links;

namespace Organizer.Application.Access;

/// <summary>
/// Creates or replaces an organization's private feed secret. Calendar apps cannot send tokens, so the secret rides
/// in the URL; the previous URL stops working at once.
/// </summary>
public sealed record RotateFeedSecretCommand(string OrganizationSlug, Actor Actor) : ICommand<PrivateFeedDto>;

public sealed record PrivateFeedDto(string Url, string Webcal);

public sealed class RotateFeedSecretCommandHandler(IOrganizerDbContext db, IChangeAuthorization access, TimeProvider clock, ILinks links) : ICommandHandler<RotateFeedSecretCommand, PrivateFeedDto>
{
    public async ValueTask<PrivateFeedDto> Handle(RotateFeedSecretCommand command, CancellationToken cancellationToken)
    {
        var organization = await OrganizationAccess.LoadForWriteAsync(db, access, command.OrganizationSlug, command.Actor, cancellationToken);
        var secret = Tokens.NewSecret();
        organization.FeedSecretHash = Tokens.Hash(secret);
        db.AuditEntries.Add(command.Actor.Audit("rotate-feed-secret", "organization", organization.Id, organization.Slug, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        var feed = links.PrivateCalendar(secret);
        return new PrivateFeedDto(feed.Https, feed.Webcal);
    }
}
