using Hikyaku.Grains.Delivery;

namespace Hikyaku.Silo.Delivery;

/// <summary>
/// Routes every domain to a simulated provider: a provider's own domains to it (site = the provider), any other
/// domain to a generic accept-all provider under its own site, so every address has somewhere to go.
/// </summary>
public sealed class SandboxRouter(SandboxProviders sandbox) : IDeliveryRouter
{
    private const string GenericProvider = "google";

    public ValueTask<DeliveryRoute> RouteAsync(string domain, CancellationToken cancellationToken = default)
    {
        var host = sandbox.Host;
        var provider = host.ProviderFor(domain);
        var route = provider is not null
            ? new DeliveryRoute(RouteStatus.Ok, provider.Name, $"mx.{provider.Name}.sandbox", provider.Endpoint, null)
            : new DeliveryRoute(RouteStatus.Ok, "sandbox", $"mx.{domain}.sandbox", host[GenericProvider].Endpoint, null);
        return ValueTask.FromResult(route);
    }
}
