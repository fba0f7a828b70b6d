using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Organizer.Application.Access;
using Organizer.Application.Feeds;

namespace Organizer.Api.Http;

/// <summary>
/// Operational metrics in Prometheus' text format at <see cref="Path"/>, for the admin token only: request rate and
/// latency per route template, feed renders and cache use, the database connection pool, Redis and the runtime.
/// </summary>
public static class Telemetry
{
    public const string Path = "/metrics";

    /// <summary>The meter Npgsql reports its pools and commands on (db.client.connection.count and the rest).</summary>
    public const string NpgsqlMeter = "Npgsql";

    /// <summary>The meter the shared cache and limiter report Redis' availability on.</summary>
    public const string RedisMeter = "Organizer.Redis";

    private static readonly AdminOnly ReadMetrics = new("Only the admin reads metrics.", "Metrics need the admin token.");

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("organizer"))
            .WithMetrics(metrics => metrics
            // ASP.NET Core's own meters: http.server.request.duration carries the matched route template, also for a
            // feed KeptFeeds answers before its endpoint runs (routing has matched it by then).
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter(FeedMetrics.MeterName, NpgsqlMeter, RedisMeter)
            // Every scrape collects afresh: the exporter's default keeps an answer for 300 ms, so a scrape right after
            // a request could miss it, and a scrape every few seconds gains nothing from it.
            .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0));
        return builder;
    }

    /// <summary>
    /// Maps the scraping endpoint under the admin policy. The series are aggregates, but request counts per route over
    /// time still tell when a group's pages and feeds are busy, and our users can be watched: only the operator reads
    /// them. It is under no rate limit (none applies outside the write groups) and nothing caches it.
    /// </summary>
    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint(Path)
            .RequireAuthorization(AccessPolicies.Admin)
            .WithMetadata(ReadMetrics)
            .ExcludeFromDescription();
}
