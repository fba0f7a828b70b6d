using Microsoft.Extensions.Options;
using Organizer.Application.Common;
using Organizer.Application.Common.Exceptions;

namespace Organizer.Api.Http;

/// <summary>Settings under <c>Organizer:Idempotency</c>.</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Organizer:Idempotency";

    /// <summary>How long a kept answer is replayed; after that the key is free again and the row is deleted.</summary>
    public int RetentionHours { get; set; } = 24;

    /// <summary>How often expired rows are deleted.</summary>
    public int CleanupIntervalMinutes { get; set; } = 60;

    public TimeSpan Retention => TimeSpan.FromHours(RetentionHours);
}

/// <summary>
/// Deletes idempotency records past their retention. The middleware already ignores an expired row when its key comes
/// back; this removes the rows whose keys never come back, so the table stays as small as one retention period of writes.
/// </summary>
public sealed class IdempotencyCleanup(IServiceScopeFactory scopes, TimeProvider clock, IOptions<IdempotencyOptions> options, ILogger<IdempotencyCleanup> logger)
    : BackgroundService
{
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IIdempotencyStore>()
            .DeleteExpiredAsync(clock.GetUtcNow() - options.Value.Retention, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first run waits one interval, so it never races the startup migrations for the table.
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.CleanupIntervalMinutes), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var deleted = await DeleteExpiredAsync(stoppingToken);
                logger.LogDebug("Deleted {Count} expired idempotency records.", deleted);
            }
            catch (DatabaseUnavailableException e)
            {
                // An outage already says so in every request's answer; one line here is enough, and the next tick tries again.
                logger.LogWarning("Deleting expired idempotency records failed, the database is unavailable ({Reason}); retrying at the next interval.", e.Reason);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // An unhandled exception in a BackgroundService stops the host; a database blip must not take the API down.
                logger.LogWarning(e, "Deleting expired idempotency records failed; retrying at the next interval.");
            }
        }
    }
}
