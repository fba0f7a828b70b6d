using System.Diagnostics;
using Mediator;
using Organizer.Infrastructure.Persistence;
using Polly;
using Polly.Retry;

namespace Organizer.Infrastructure;

/// <summary>
/// Every message's database failures that mean "unavailable" leave the pipeline as the application's
/// <see cref="Application.Common.Exceptions.DatabaseUnavailableException"/> (503 with Retry-After, not a 500).
/// A query is first tried again, briefly: a read changes nothing, so a connection broken by a server restart, or a
/// server that is back a moment later, costs its reader nothing. A command is not: whether a failed write was applied
/// can't be known from here, and the client's retry with its Idempotency-Key is the safe one.
/// </summary>
/// <remarks>Outermost in the pipeline, so that validators that read the database are covered too.</remarks>
public sealed class DatabaseAvailabilityBehaviour<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        try
        {
            return message is IBaseQuery
                ? await ReadRetry.ExecuteAsync(message, next, cancellationToken)
                : await next(message, cancellationToken);
        }
        catch (Exception e) when (DatabaseFailures.Translate(e) is { } unavailable)
        {
            throw unavailable;
        }
    }
}

/// <summary>
/// Two more tries, 100 ms and then 200 ms apart, started only within the first half second: with the one-second connect
/// timeout (<see cref="DatabaseAvailability.WithFailFastConnect"/>), a server that swallows connection attempts still
/// gets its reader a 503 within two seconds, and one that refuses them within about a third of a second.
/// </summary>
internal static class ReadRetry
{
    private static readonly TimeSpan RetryWindow = TimeSpan.FromMilliseconds(500);

    private static readonly ResiliencePropertyKey<long> Started = new("organizer.read-started");

    private static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromMilliseconds(100),
            BackoffType = DelayBackoffType.Exponential,
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is { } e && DatabaseFailures.IsUnavailable(e)
                && Stopwatch.GetElapsedTime(args.Context.Properties.GetValue(Started, 0L)) < RetryWindow),
        })
        .Build();

    public static async ValueTask<TResponse> ExecuteAsync<TMessage, TResponse>(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
        where TMessage : notnull, IMessage
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Started, Stopwatch.GetTimestamp());
        try
        {
            return await Pipeline.ExecuteAsync(
                static (context, state) => state.next(state.message, context.CancellationToken), context, (message, next));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
