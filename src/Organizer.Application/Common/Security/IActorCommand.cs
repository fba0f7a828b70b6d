namespace Organizer.Application.Common.Security;

/// <summary>A write made on someone's behalf; <see cref="Behaviours.AuthenticationBehaviour{TMessage,TResponse}"/> turns anonymous callers away first.</summary>
public interface IActorCommand
{
    Actor Actor { get; }

    /// <summary>Whether an anonymous caller may send this at all (the handler still decides the rest).</summary>
    bool AllowsAnonymous(ModerationOptions moderation) => false;
}
