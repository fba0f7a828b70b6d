using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Organizer.Api.Http;
using Organizer.Infrastructure.Redis;
using RedisRateLimiting;
using StackExchange.Redis;

namespace Organizer.Api.Security;

/// <summary>
/// The write routes' rate limits: per token, per anonymous address, and per address that sends rejected tokens, in
/// fixed one-minute windows. With Redis configured the windows are counted there, so N instances share one budget
/// instead of granting N; while Redis is away each instance counts on its own (<see cref="SharedOrLocalLimiter"/>).
/// </summary>
public static class WriteRateLimits
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddWriteRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection("Organizer:RateLimits");
        var perToken = limits.GetValue("WritesPerMinute", 60);
        var perAddress = limits.GetValue("AnonymousWritesPerMinute", 10);
        var perRejectedAddress = limits.GetValue("RejectedTokenRequestsPerMinute", perAddress);
        return services.AddRateLimiter(options =>
        {
            options.AddPolicy(WriteEndpointConventions.RateLimitPolicy, context =>
            {
                // Someone guessing tokens spends their own per-address budget, not the one anonymous submitters share.
                var actor = BearerTokenHandler.ActorOf(context);
                var (partition, limit) = BearerTokenHandler.HasRejectedToken(context)
                    ? ($"rejected-token:{actor.ClientAddress ?? "unknown"}", perRejectedAddress)
                    : (actor.AuditName, actor.IsAnonymous ? perAddress : perToken);
                return context.RequestServices.GetService<RedisConnection>() is { } redis
                    ? RateLimitPartition.Get(partition, key => new SharedOrLocalLimiter(redis, key, limit))
                    : RateLimitPartition.GetFixedWindowLimiter(partition, _ => Local(limit));
            });
            options.OnRejected = (context, _) =>
            {
                var problems = context.HttpContext.RequestServices.GetRequiredService<ProblemResponses>();
                return new ValueTask(problems.TooManyRequestsAsync(context.HttpContext, RetryAfter(context.Lease)));
            };
        });
    }

    private static FixedWindowRateLimiterOptions Local(int limit) => new() { PermitLimit = limit, Window = Window };

    /// <summary>The lease's wait: a TimeSpan from the framework's limiters, whole seconds from the Redis one.</summary>
    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter.Name, out var wait) ? wait switch
        {
            TimeSpan span => span,
            IConvertible seconds => TimeSpan.FromSeconds(Math.Max(1, seconds.ToDouble(CultureInfo.InvariantCulture))),
            _ => Window,
        }
        : Window;

    /// <summary>
    /// A partition's window counted in Redis, or, for as long as Redis does not answer, in this instance: a write is
    /// never refused, nor answered 500, because Redis is down.
    /// </summary>
    private sealed class SharedOrLocalLimiter(RedisConnection redis, string partition, int limit) : RateLimiter
    {
        private readonly RedisFixedWindowRateLimiter<string> shared = new(redis.KeyPrefix + "rate:" + partition, new RedisFixedWindowRateLimiterOptions
        {
            ConnectionMultiplexerFactory = () => redis.Multiplexer,
            PermitLimit = limit,
            Window = Window,
        });

        private readonly FixedWindowRateLimiter local = new(Local(limit));

        // The local window is the one with state in this process: the partition is kept while it has any.
        public override TimeSpan? IdleDuration => local.IdleDuration;

        public override RateLimiterStatistics? GetStatistics() => local.GetStatistics();

        // The Redis limiter always answers "not acquired" here, which sends the middleware on to AcquireAsync.
        protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
            redis.IsAvailable ? shared.AttemptAcquire(permitCount) : local.AttemptAcquire(permitCount);

        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            if (redis.IsAvailable)
            {
                try
                {
                    return await shared.AcquireAsync(permitCount, cancellationToken);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    redis.ReportFailure(e);
                }
            }

            return await local.AcquireAsync(permitCount, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                shared.Dispose();
                local.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
