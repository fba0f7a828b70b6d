using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Organizer.Infrastructure.Redis;

/// <summary>
/// The one connection to Redis, when <c>ConnectionStrings:Redis</c> is set (decision 015). Redis shares the feed
/// cache's evictions and the rate limits between instances; it holds nothing that is not also in PostgreSQL or cheap to
/// lose, so the app keeps serving while it is away and only logs that it is.
/// <para>
/// Commands fail at once while the connection is down (no queueing behind a dead socket), and the multiplexer keeps
/// reconnecting by itself. <see cref="Restored"/> tells the feed cache that evictions may have been lost meanwhile.
/// </para>
/// </summary>
public sealed class RedisConnection : IDisposable
{
    public const string MeterName = "Organizer.Redis";

    private static readonly Meter Meter = new(MeterName);

    private readonly ConnectionMultiplexer multiplexer;
    private readonly ILogger<RedisConnection> logger;
    private int down;
    private long lastFailureReport = long.MinValue / 2;

    public RedisConnection(string configuration, string keyPrefix, ILogger<RedisConnection> logger)
    {
        this.logger = logger;
        KeyPrefix = keyPrefix;
        var options = ConfigurationOptions.Parse(configuration);
        // The app must start, and keep answering, without Redis: connect in the background, and fail a command at once
        // while disconnected instead of holding the request until a timeout.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        if (!Mentions(configuration, "connectTimeout"))
        {
            options.ConnectTimeout = 2000;
        }

        // Instances that reconnect at different moments after Redis comes back disagree about what is kept: the sooner
        // each is back, the shorter that is (the default backs off to ten seconds).
        options.ReconnectRetryPolicy = new LinearRetry(500);
        if (!Mentions(configuration, "syncTimeout") && !Mentions(configuration, "asyncTimeout"))
        {
            // A feed hit waits on one round trip to Redis: a hung Redis must cost a request a second, not five.
            options.SyncTimeout = 1000;
            options.AsyncTimeout = 1000;
        }

        multiplexer = ConnectionMultiplexer.Connect(options);
        multiplexer.ConnectionFailed += (_, e) => MarkDown(e.EndPoint, e.FailureType.ToString());
        multiplexer.ConnectionRestored += (_, e) => MarkUp(e.EndPoint);
        if (!multiplexer.IsConnected)
        {
            MarkDown(null, "not reachable at start");
        }

        Meter.CreateObservableGauge("organizer.redis.available", () => IsAvailable ? 1 : 0, unit: "{bool}",
            description: "1 while Redis answers, 0 while the app runs on its own (per-instance rate limits, feeds rendered per request).");
    }

    /// <summary>Prepended to every key, so several deployments can share one Redis.</summary>
    public string KeyPrefix { get; }

    public IConnectionMultiplexer Multiplexer => multiplexer;

    public IDatabase Database => multiplexer.GetDatabase();

    public bool IsAvailable => multiplexer.IsConnected;

    /// <summary>Raised when Redis answers again after being away.</summary>
    public event Action? Restored;

    /// <summary>For a command that failed although the connection looked up (a timeout): logged at most twice a minute.</summary>
    public void ReportFailure(Exception exception)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref lastFailureReport);
        if (now - last > 30_000 && Interlocked.CompareExchange(ref lastFailureReport, now, last) == last)
        {
            logger.LogWarning("A Redis command failed ({Reason}): that request rendered its feed or counted its rate limit in this instance.", exception.Message);
        }
    }

    private void MarkDown(System.Net.EndPoint? endpoint, string reason)
    {
        if (Interlocked.Exchange(ref down, 1) == 0)
        {
            logger.LogWarning("Redis at {Endpoint} is unavailable ({Reason}): feeds are rendered per request and rate limits count per instance until it is back.",
                endpoint?.ToString() ?? string.Join(",", multiplexer.GetEndPoints().Select(e => e.ToString())), reason);
        }
    }

    private void MarkUp(System.Net.EndPoint? endpoint)
    {
        if (Interlocked.Exchange(ref down, 0) == 1)
        {
            logger.LogInformation("Redis at {Endpoint} is available again.", endpoint);
            Restored?.Invoke();
        }
    }

    private static bool Mentions(string configuration, string option) =>
        configuration.Contains(option + "=", StringComparison.OrdinalIgnoreCase);

    public void Dispose() => multiplexer.Dispose();
}
