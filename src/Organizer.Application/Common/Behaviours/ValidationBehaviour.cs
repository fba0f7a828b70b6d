using FluentValidation;
using Mediator;
using ValidationException = Organizer.Application.Common.Exceptions.ValidationException;

namespace Organizer.Application.Common.Behaviours;

/// <summary>Runs every validator of a message before its handler, so handlers only ever see valid input.</summary>
public sealed class ValidationBehaviour<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        await Validators.ThrowIfInvalidAsync(validators, message, cancellationToken);
        return await next(message, cancellationToken);
    }
}

/// <summary>
/// The pipeline's check, for the one body that exists only inside a handler: a merge patch applied to the stored
/// event, which must pass the same rules as a body sent whole.
/// </summary>
public static class Validators
{
    public static async Task ThrowIfInvalidAsync<T>(IEnumerable<IValidator<T>> validators, T message, CancellationToken cancellationToken)
    {
        var context = new ValidationContext<T>(message);
        var results = await Task.WhenAll(validators.Select(v => v.ValidateAsync(context, cancellationToken)));
        var failures = results.SelectMany(r => r.Errors).Where(f => f is not null).ToList();
        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }
    }
}
