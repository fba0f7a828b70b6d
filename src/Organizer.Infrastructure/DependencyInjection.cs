using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Organizer.Application;
using Organizer.Application.Cities;
using Organizer.Application.Common;
using Organizer.Application.Events;
using Organizer.Application.Search;
using Organizer.Application.Timeline;
using Organizer.Infrastructure.Persistence;
using Organizer.Infrastructure.ReadModels;
using Organizer.Infrastructure.Redis;
using Organizer.Infrastructure.Seeding;

namespace Organizer.Infrastructure;

public static class DependencyInjection
{
    public const string ConnectionStringName = "Organizer";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = DatabaseAvailability.WithFailFastConnect(ConnectionString(configuration));
        services.Configure<DatabaseOptions>(configuration.GetSection(DatabaseOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AdminCredentials>();
        services.AddSingleton<AuditableEntityInterceptor>();
        services.AddSingleton<FeedChangeInterceptor>();

        services.AddDbContext<OrganizerDbContext>((sp, options) => options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly("Organizer.Migrations"))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(sp.GetRequiredService<AuditableEntityInterceptor>(), sp.GetRequiredService<FeedChangeInterceptor>()));
        services.AddScoped<IOrganizerDbContext>(sp => sp.GetRequiredService<OrganizerDbContext>());
        services.AddScoped<IIdempotencyStore, IdempotencyStore>();
        services.AddScoped<Seeder>();
        if (configuration.GetConnectionString(ReplicaConnection.ConnectionStringName) is { Length: > 0 } replicaString
            && ReplicaConnection.From(DatabaseAvailability.WithFailFastConnect(replicaString), connectionString) is { } replica)
        {
            services.AddSingleton(replica);
        }

        services.AddSharedRedis(configuration);

        // The read models Application declares and only PostgreSQL can answer as written.
        services.AddScoped<ITimelineQueries, TimelineQueries>();
        services.AddScoped<IOrganizationSummaryQueries, OrganizationSummaryQueries>();
        services.AddScoped<IEventListQueries, EventListQueries>();
        services.AddScoped<ISearchQueries, SearchQueries>();
        services.AddScoped<ICityQueries, CityQueries>();

        // Registered before the web server's own hosted service, so the database is ready before requests arrive.
        services.AddHostedService<DatabaseStartup>();

        services.AddHealthChecks().AddDbContextCheck<OrganizerDbContext>("database", tags: ["ready"]);
        services.AddDatabaseAvailability();
        return services;
    }

    private static string ConnectionString(IConfiguration configuration) => configuration.GetConnectionString(ConnectionStringName) switch
    {
        { } configured when !string.IsNullOrWhiteSpace(configured) => configured,

        // 'dotnet ef migrations add' builds the model without starting the app: it needs no server.
        _ when EF.IsDesignTime => "Host=127.0.0.1;Database=postgres;Username=postgres",
        _ => throw new InvalidOperationException(
            $"No ConnectionStrings:{ConnectionStringName} is configured. The API starts its embedded PostgreSQL with " +
            $"{nameof(EmbeddedDatabase.AddEmbeddedDatabaseAsync)} before {nameof(AddInfrastructure)}; anything else must configure one."),
    };
}
