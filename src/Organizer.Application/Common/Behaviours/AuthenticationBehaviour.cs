using Mediator;
using Microsoft.Extensions.Options;
using Organizer.Application.Common.Exceptions;
using Organizer.Application.Common.Security;

namespace Organizer.Application.Common.Behaviours;

/// <summary>
/// Runs before validation: a write without a token is a 401 whatever its body, so a caller is never told how to
/// fix a request it may not send in the first place.
/// </summary>
public sealed class AuthenticationBehaviour<TMessage, TResponse>(IOptions<ModerationOptions> moderation) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is IActorCommand { Actor.IsAnonymous: true } command && !command.AllowsAnonymous(moderation.Value))
        {
            throw new UnauthorizedException("This needs a token: send 'Authorization: Bearer <token>'.");
        }

        return next(message, cancellationToken);
    }
}
