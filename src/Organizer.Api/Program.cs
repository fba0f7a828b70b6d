using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Organizer.Api.Endpoints;
using Organizer.Api.Infrastructure;
using Organizer.Application;
using Organizer.Application.Common;
using Organizer.Application.Common.Behaviours;
using Organizer.Application.Events;
using Organizer.Application.Feeds;
using Organizer.Infrastructure;
using Organizer.Infrastructure.Persistence;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddApplication();
builder.Services.AddInfrastructure(builder.Configuration);
builder.Services.AddMediator(options =>
{
    // Handlers use the scoped DbContext; the generator's default singleton lifetime would capture one forever.
    options.ServiceLifetime = ServiceLifetime.Scoped;
    options.Assemblies = [typeof(ListEventsQuery)];
    options.PipelineBehaviors = [typeof(ValidationBehaviour<,>)];
});

builder.Services.ConfigureHttpJsonOptions(options =>
{
    options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(KebabEnum.Policy, allowIntegerValues: false));
    options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
});
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
builder.Services.AddOpenApi();
builder.Services.Configure<FeedOptions>(builder.Configuration.GetSection(FeedOptions.Section));
builder.Services.AddOutputCache(options =>
{
    // Feeds are rendered once and served from memory until a save evicts the tag (FeedChangeInterceptor).
    // Vary by host too: feeds embed absolute links.
    options.AddPolicy(FeedsEndpoints.CachePolicy, policy => policy
        .Tag(FeedChangeInterceptor.FeedsCacheTag)
        .SetVaryByQuery("*")
        .SetVaryByHost(true)
        .Expire(TimeSpan.FromHours(1)));
});
if (builder.Configuration.GetValue<bool>("Organizer:Feeds:Compress"))
{
    // Off by default: some Outlook versions fail to subscribe to a compressed feed.
    builder.Services.AddResponseCompression(options => options.MimeTypes = ["text/calendar", "application/json"]);
}

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
if (app.Configuration.GetValue<bool>("Organizer:Feeds:Compress"))
{
    app.UseResponseCompression();
}

app.UseOutputCache();

app.MapOpenApi();
app.MapScalarApiReference("/docs", options => options.WithTitle("Organizer API"));
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

app.MapHomeEndpoints();
app.MapEventsEndpoints();
app.MapOrganizationsEndpoints();
app.MapPlacesEndpoints();
app.MapStatementsEndpoints();
app.MapCitiesEndpoints();
app.MapFeedsEndpoints();

app.Run();

/// <summary>Exposed for WebApplicationFactory in the integration tests.</summary>
public partial class Program;
