using Microsoft.Extensions.Options;

namespace Organizer.Api.Http;

/// <summary>Settings under <c>Organizer:Shutdown</c>.</summary>
public sealed class ShutdownOptions
{
    public const string Section = "Organizer:Shutdown";

    /// <summary>
    /// How long an instance told to stop keeps serving while it reports itself not ready, before it stops listening.
    /// 0 (the default) stops at once: one process on its own has no load balancer to tell. Behind one, give it a few
    /// of the balancer's health-check intervals (5 is a good start).
    /// </summary>
    public int DrainSeconds { get; set; }

    /// <summary>
    /// How long stopping may take in all, the drain included: what is left after the drain is what requests in flight
    /// get to finish before they are cut off.
    /// </summary>
    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>
/// Stops an instance without failing a request. Told to stop (SIGTERM, Ctrl+C), and before the web server stops
/// listening, it starts draining: <c>/health/ready</c> answers 503 so that the load balancer takes the instance out of
/// rotation, and every HTTP/1.x response carries <c>Connection: close</c> so that the balancer's kept-alive connections
/// end one request later instead of failing on a closed socket. After <see cref="ShutdownOptions.DrainSeconds"/> the
/// server stops listening and waits for requests in flight, up to the host's shutdown timeout.
/// </summary>
public sealed class Draining(IOptions<ShutdownOptions> options, ILogger<Draining> logger) : IHostedLifecycleService
{
    private volatile bool draining;

    public bool IsDraining => draining;

    // The host calls every StoppingAsync before any StopAsync, and the web server stops listening in its StopAsync.
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (draining)
        {
            return; // a second stop (a host stopped, then disposed) has nothing left to drain
        }

        draining = true;
        var drain = TimeSpan.FromSeconds(options.Value.DrainSeconds);
        if (drain <= TimeSpan.Zero)
        {
            return;
        }

        logger.LogInformation("Stopping: draining for {Seconds} s before the server stops listening; /health/ready answers 503.", drain.TotalSeconds);
        try
        {
            // Wall-clock time on purpose: the balancer's health checks run on it, whatever clock the app is given.
            await Task.Delay(drain, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The shutdown timeout ran out during the drain: stop now rather than fail the host's stop.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// First in the pipeline, so that nothing answers without it (kept feeds answer before routing's endpoints run).
/// While draining, it answers the readiness probe itself, and closes each HTTP/1.x connection after its response, also
/// for a request that arrived before the drain began. HTTP/2 forbids the header; Kestrel ends those connections with
/// GOAWAY when it stops.
/// </summary>
/// <remarks>
/// The probe is not a failing health check: the health check service logs every unhealthy result as an error, so each
/// probe of a routine restart would log a <c>fail:</c> line.
/// </remarks>
internal sealed class DrainingMiddleware(RequestDelegate next, Draining draining)
{
    /// <summary>Where Program.cs maps the readiness checks, and what this answers itself while draining.</summary>
    public const string ReadinessPath = "/health/ready";

    private readonly Func<object, Task> closeIfDraining = state =>
    {
        var context = (HttpContext)state;
        if (draining.IsDraining && (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol)))
        {
            context.Response.Headers.Connection = "close";
        }

        return Task.CompletedTask;
    };

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(closeIfDraining, context);
        if (draining.IsDraining && context.Request.Path.Equals(ReadinessPath, StringComparison.OrdinalIgnoreCase))
        {
            // What the health checks endpoint answers when a check fails, so probes need no special case.
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.CacheControl = "no-store, no-cache";
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync("Unhealthy", context.RequestAborted);
        }

        return next(context);
    }
}

public static class DrainingExtensions
{
    public static WebApplicationBuilder AddDraining(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ShutdownOptions>().Bind(builder.Configuration.GetSection(ShutdownOptions.Section))
            .Validate(o => o.DrainSeconds >= 0 && o.TimeoutSeconds > o.DrainSeconds,
                "Organizer:Shutdown:DrainSeconds must be 0 or more, and TimeoutSeconds more than DrainSeconds: what is left is the time requests in flight get to finish.")
            .ValidateOnStart();
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>(
            (host, shutdown) => host.ShutdownTimeout = TimeSpan.FromSeconds(shutdown.Value.TimeoutSeconds));

        builder.Services.AddSingleton<Draining>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Draining>());

        // A startup filter puts the middleware before everything Program.cs adds.
        builder.Services.AddTransient<IStartupFilter, DrainingStartupFilter>();
        return builder;
    }

    private sealed class DrainingStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<DrainingMiddleware>();
            next(app);
        };
    }
}
