using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Organizer.Api.Endpoints;
using Organizer.Api.Infrastructure;
using Organizer.Application;
using Organizer.Application.Common;
using Organizer.Application.Common.Behaviours;
using Organizer.Application.Events;
using Organizer.Infrastructure;
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

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapOpenApi();
app.MapScalarApiReference("/docs", options => options.WithTitle("Organizer API"));
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

app.MapEventsEndpoints();
app.MapOrganizationsEndpoints();
app.MapPlacesEndpoints();
app.MapStatementsEndpoints();

app.Run();

/// <summary>Exposed for WebApplicationFactory in the integration tests.</summary>
public partial class Program;
