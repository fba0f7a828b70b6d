using Microsoft.AspNetCore.HttpOverrides;

namespace Organizer.Api.Http;

/// <summary>
/// Behind a load balancer the TCP peer is the balancer, so every anonymous writer would share one rate-limit budget
/// and the audit log would name the balancer. With <c>Organizer:Proxies:KnownNetworks</c> (CIDR ranges, comma
/// separated) set, the client's address and scheme come from X-Forwarded-For and X-Forwarded-Proto, believed only
/// when the peer is in one of those ranges. Unset, the headers are ignored: anyone could send them.
/// </summary>
public static class Proxies
{
    private const string Setting = "Organizer:Proxies:KnownNetworks";

    public static IServiceCollection AddKnownProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var networks = (configuration[Setting] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                    ? parsed
                    : throw new InvalidOperationException($"{Setting} holds '{network}', which is not a CIDR range such as 10.0.0.0/8 or 127.0.0.1/32."));
            }
        });
        return services;
    }

    public static IApplicationBuilder UseKnownProxies(this WebApplication app) =>
        string.IsNullOrWhiteSpace(app.Configuration[Setting]) ? app : app.UseForwardedHeaders();
}
