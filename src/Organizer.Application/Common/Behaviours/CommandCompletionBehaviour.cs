using Mediator;

namespace Organizer.Application.Common.Behaviours;

/// <summary>
/// A command, once started, runs to its end even if its client hangs up; queries stay cancellable. A command is one
/// short transaction, and a client that hangs up cannot tell whether it committed. Cancelled part-way, it either did
/// not happen or, cancelled after its commit (while reading back what it wrote), happened while the request failed:
/// the idempotency key was then released, and the client's retry with that key wrote the event a second time. Run to
/// its end, the write exists, its answer is kept for the key, and the retry gets it.
/// </summary>
public sealed class CommandCompletionBehaviour<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken) =>
        next(message, message is IBaseCommand ? CancellationToken.None : cancellationToken);
}
