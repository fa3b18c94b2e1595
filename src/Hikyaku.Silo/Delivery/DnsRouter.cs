using System.Net;
using Hikyaku.Dns;
using Hikyaku.Grains.Delivery;

namespace Hikyaku.Silo.Delivery;

/// <summary>
/// Real delivery: a <c>Delivery:Routes</c> override first (domain pattern → host:port), else the domain's MX by DNS
/// (through <c>Dns:NameServers</c>), its best host's first address, on <c>Delivery:SmtpPort</c>. The site is the
/// provider the MX hosts roll up to.
/// </summary>
public sealed class DnsRouter(ISiteResolver sites, RouteTable routes, int smtpPort) : IDeliveryRouter
{
    public async ValueTask<DeliveryRoute> RouteAsync(string domain, CancellationToken cancellationToken = default)
    {
        if (routes.Find(domain) is { } routed)
        {
            // A configured route skips MX lookup; the site still rolls up by the catalog's known domains.
            var site = Domain.Providers.ProviderCatalog.Default.FindByDomain(domain)?.Id ?? domain;
            var address = IPAddress.TryParse(routed.Host, out var ip) ? ip : (await System.Net.Dns.GetHostAddressesAsync(routed.Host, cancellationToken)).First();
            return new DeliveryRoute(RouteStatus.Ok, site, routed.Host, new IPEndPoint(address, routed.Port), null);
        }

        var resolution = await sites.GetSiteAsync(domain, cancellationToken);
        var mx = resolution.Mx;
        return mx.Status switch
        {
            MxStatus.Ok => new DeliveryRoute(RouteStatus.Ok, resolution.Site.Id, mx.Hosts[0].Name, new IPEndPoint(mx.Hosts[0].Addresses[0], smtpPort), null)
            {
                MxHosts = mx.Hosts.Select(h => h.Name).ToList(),
            },
            MxStatus.TemporaryFailure => DeliveryRoute.Fail(RouteStatus.Temporary, domain, mx.Error ?? "temporary DNS failure"),
            _ => DeliveryRoute.Fail(RouteStatus.Permanent, domain, mx.Error ?? mx.Status.ToString()),
        };
    }
}
