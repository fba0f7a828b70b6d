using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace Organizer.Application;

public static class DependencyInjection
{
    /// <summary>Validators of every use case; the mediator itself is generated and registered by the host.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        // Messages name fields the way clients write them: "title", not "Title".
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : char.ToLowerInvariant(member.Name[0]) + member.Name[1..];
        // Singletons: a validator takes no services and only reads once built, and building one (its rules' expression
        // trees and messages) on every request cost more than running it; the event body's fifty rules most of all.
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddScoped<Events.EventFilters>();
        services.AddSingleton<Feeds.EventFragments>();
        services.AddSingleton<Timeline.SeriesTallies>();
        services.AddSingleton<Feeds.IFeedInvalidation>(provider => provider.GetRequiredService<Feeds.EventFragments>());
        return services;
    }
}
