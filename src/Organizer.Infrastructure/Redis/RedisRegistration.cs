using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Organizer.Application.Feeds;

namespace Organizer.Infrastructure.Redis;

public static class RedisRegistration
{
    public const string ConnectionStringName = "Redis";

    /// <summary>
    /// With <c>ConnectionStrings:Redis</c> set, registers the connection and the shared feed versions; without it,
    /// nothing, and the app runs as the one process it is by default.
    /// </summary>
    public static IServiceCollection AddSharedRedis(this IServiceCollection services, IConfiguration configuration)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(configured))
        {
            return services;
        }

        var prefix = configuration.GetValue("Organizer:Redis:KeyPrefix", "organizer:")!;
        services.AddSingleton(sp => new RedisConnection(configured, prefix, sp.GetRequiredService<ILogger<RedisConnection>>()));
        services.AddSingleton<ISharedFeedVersions, RedisFeedVersions>();
        // Connects while the host starts, before the server takes requests, rather than on the first request.
        services.AddHostedService<RedisStartup>();
        return services;
    }

    private sealed class RedisStartup(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<RedisConnection>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
