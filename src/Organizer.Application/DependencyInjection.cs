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
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, includeInternalTypes: true);
        services.AddScoped<Events.EventFilters>();
        services.AddSingleton<Feeds.EventFragments>();
        services.AddSingleton<Feeds.IFeedInvalidation>(provider => provider.GetRequiredService<Feeds.EventFragments>());
        return services;
    }
}
