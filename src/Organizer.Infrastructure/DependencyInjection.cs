using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Organizer.Application;
using Organizer.Application.Cities;
using Organizer.Application.Events;
using Organizer.Application.Search;
using Organizer.Application.Timeline;
using Organizer.Infrastructure.Persistence;
using Organizer.Infrastructure.ReadModels;
using Organizer.Infrastructure.Seeding;

namespace Organizer.Infrastructure;

public static class DependencyInjection
{
    public const string ConnectionStringName = "Organizer";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DatabaseOptions>(configuration.GetSection(DatabaseOptions.Section));
        services.AddSingleton(new DatabaseConnection(configuration.GetConnectionString(ConnectionStringName)));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AdminCredentials>();
        services.AddSingleton<AuditableEntityInterceptor>();
        services.AddSingleton<FeedChangeInterceptor>();

        services.AddDbContext<OrganizerDbContext>((sp, options) => options
            .UseNpgsql(
                // 'dotnet ef migrations add' builds the model without starting the app: it needs no server.
                EF.IsDesignTime ? DesignTimeConnectionString(configuration) : sp.GetRequiredService<DatabaseConnection>().Value,
                npgsql => npgsql.MigrationsAssembly("Organizer.Migrations"))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(sp.GetRequiredService<AuditableEntityInterceptor>(), sp.GetRequiredService<FeedChangeInterceptor>()));
        services.AddScoped<IOrganizerDbContext>(sp => sp.GetRequiredService<OrganizerDbContext>());
        services.AddScoped<Seeder>();

        // The read models Application declares and only PostgreSQL can answer as written.
        services.AddScoped<ITimelineQueries, TimelineQueries>();
        services.AddScoped<IEventListQueries, EventListQueries>();
        services.AddScoped<ISearchQueries, SearchQueries>();
        services.AddScoped<ICityQueries, CityQueries>();

        // Registered before the web server's own hosted service, so the database is ready before requests arrive.
        services.AddHostedService<DatabaseStartup>();

        services.AddHealthChecks().AddDbContextCheck<OrganizerDbContext>("database", tags: ["ready"]);
        return services;
    }

    private static string DesignTimeConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) ?? "Host=127.0.0.1;Database=postgres;Username=postgres";
}
