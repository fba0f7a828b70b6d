using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace Organizer.Application;

public static class DependencyInjection
{
    /// <summary>Validators of every use case; the mediator itself is generated and registered by the host.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, includeInternalTypes: true);
        return services;
    }
}
