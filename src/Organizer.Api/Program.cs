using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.RateLimiting;
using Organizer.Api.Http;
using Organizer.Api.Security;
using Organizer.Api.Endpoints;
using Organizer.Application;
using Organizer.Application.Common;
using Organizer.Application.Common.Links;
using Organizer.Application.Common.Behaviours;
using Organizer.Application.Events;
using Organizer.Application.Feeds;
using Organizer.Application.Search;
using Organizer.Infrastructure;
using Organizer.Infrastructure.Persistence;
using Scalar.AspNetCore;
using Organizer.Application.Common.Security;

var builder = WebApplication.CreateBuilder(args);

// Before AddInfrastructure: with no connection string configured, this starts the embedded PostgreSQL so that the
// DbContext is registered with its connection string as a plain setting.
await builder.AddEmbeddedDatabaseAsync();
builder.Services.AddApplication();
builder.Services.AddInfrastructure(builder.Configuration);
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<ILinks, RouteLinks>();
builder.Services.AddMediator(options =>
{
    // Handlers use the scoped DbContext; the generator's default singleton lifetime would capture one forever.
    options.ServiceLifetime = ServiceLifetime.Scoped;
    options.Assemblies = [typeof(ListEventsQuery)];
    // In this order: a command is first cut loose from its client's hang-up (it runs to its end); availability is
    // outside validation and the replica switch, so a retried query goes through both again.
    options.PipelineBehaviors =
    [
        typeof(CommandCompletionBehaviour<,>), typeof(DatabaseAvailabilityBehaviour<,>), typeof(ValidationBehaviour<,>), typeof(ReplicaReadBehaviour<,>),
    ];
});

builder.Services.ConfigureHttpJsonOptions(options => WireJson.Configure(options.SerializerOptions));

// Binding failures (malformed JSON, a wrong type, a wrong content type) become exceptions, so the one exception
// handler answers them as problem details instead of a bare 400.
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
// Write bodies are small (an event is a few kilobytes). Kestrel refuses a larger one itself, whether its Content-Length
// says so or a chunked body runs past the limit, and ProblemResponses answers the 413.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 64 * 1024);
builder.Services.Configure<ModerationOptions>(builder.Configuration.GetSection(ModerationOptions.Section));
builder.Services.AddAuthentication(BearerTokenHandler.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
builder.Services.AddAccessAuthorization();
builder.Services.AddWriteRateLimits(builder.Configuration);
builder.Services.AddKnownProxies(builder.Configuration);
builder.Services.AddOptions<IdempotencyOptions>().Bind(builder.Configuration.GetSection(IdempotencyOptions.Section))
    .Validate(o => o.RetentionHours > 0 && o.CleanupIntervalMinutes > 0, "Organizer:Idempotency:RetentionHours and CleanupIntervalMinutes must be positive.")
    .ValidateOnStart();
builder.Services.AddSingleton<IdempotencyCleanup>();
builder.Services.AddHostedService(services => services.GetRequiredService<IdempotencyCleanup>());
builder.Services.AddProblemDetails();
builder.Services.AddSingleton<ProblemResponses>();
builder.Services.AddSingleton<IExceptionHandler>(services => services.GetRequiredService<ProblemResponses>());
builder.Services.AddOpenApi(options =>
{
    options.AddDocumentTransformer<OpenApiSecurity>();
    options.AddOperationTransformer<OpenApiSecurity>();
    options.AddOperationTransformer<QueryParameterNames>();
});
builder.Services.Configure<FeedOptions>(builder.Configuration.GetSection(FeedOptions.Section));
builder.Services.Configure<SearchOptions>(builder.Configuration.GetSection(SearchOptions.Section));
// Feeds are rendered once and kept in memory until a committed save changes what they show (FeedChangeInterceptor
// reports it, FeedCacheInvalidation drops the tags of what it touched). Decision 014 says why not the output cache.
builder.Services.AddSingleton<FeedCache>();
builder.Services.AddSingleton<IFeedInvalidation, FeedCacheInvalidation>();
if (builder.Configuration.GetValue<bool>("Organizer:Feeds:Compress"))
{
    // Off by default: some Outlook versions fail to subscribe to a compressed feed (decision 014).
    builder.Services.AddResponseCompression(options => options.MimeTypes = ["text/calendar", "application/atom+xml", "application/json"]);
}

// Metrics at /metrics (admin token), and a drain before stopping (Organizer:Shutdown).
builder.AddTelemetry();
builder.AddDraining();

var app = builder.Build();

// First, so that everything after (the rate limiter, the audit log, links) sees the client rather than the balancer.
app.UseKnownProxies();

app.UseExceptionHandler();
app.UseStatusCodePages(context => context.HttpContext.RequestServices.GetRequiredService<ProblemResponses>().StatusCodeAsync(context));
// Kept feeds are answered before the write-side middlewares and authentication, which they never need. Safe for
// tokens: the feed cache neither keeps nor serves requests that carry an Authorization header.
// Authorization (the access policies on the write groups) comes after the rate limiter, so that refused callers and
// rejected tokens still spend their budget, and before the body is bound, so that a caller is never told how to fix a
// request it may not send. Idempotency comes after both, so it knows the caller and spends no row on a request that
// the limiter or the policies turn away.
if (app.Configuration.GetValue<bool>("Organizer:Feeds:Compress"))
{
    app.UseResponseCompression();
}

app.UseMiddleware<KeptFeeds>();

app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.UseMiddleware<Idempotency>();

app.MapOpenApi();
app.MapScalarApiReference("/docs", options => options.WithTitle("Organizer API"));
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks(DrainingMiddleware.ReadinessPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
app.MapMetrics();

app.MapHomeEndpoints();
app.MapEventsEndpoints();
app.MapOrganizationsEndpoints();
app.MapPlacesEndpoints();
app.MapStatementsEndpoints();
app.MapCitiesEndpoints();
app.MapSearchEndpoints();
app.MapFeedsEndpoints();

app.Run();

/// <summary>Exposed for WebApplicationFactory in the integration tests.</summary>
public partial class Program;
