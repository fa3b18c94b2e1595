using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Validation;

namespace Hikyaku.Grains.Delivery;

/// <summary>
/// Hands readers of a message to their lanes: each reader's lane is a sending IP of the pool that is clean for its
/// provider (rotation); when none is, the tenant's relay; without one, the lane it would have had, where it waits (held)
/// for the probe. Tells the site directory the domains it meets, once each. One per sender (a broadcast, a magazine's
/// step scheduler), living as long as its activation.
/// </summary>
internal sealed class LaneHandOut(IGrainFactory grains, IDeliveryRouter router)
{
    // Domains already told to the site directory by this hand-out.
    private readonly HashSet<string> _domainsReported = new(StringComparer.Ordinal);

    public async Task HandOut(string tenantId, IReadOnlyList<string> sourceIps, IReadOnlyList<DeliveryItem> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        var lanes = new Dictionary<string, List<DeliveryItem>>(StringComparer.Ordinal);
        var domainsBySite = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var bySite = new Dictionary<string, List<DeliveryItem>>(StringComparer.Ordinal);
        foreach (var byDomain in items.GroupBy(i => EmailAddress.DomainOf(i.Email)))
        {
            var route = await router.RouteAsync(byDomain.Key);
            if (_domainsReported.Add(byDomain.Key))
            {
                (domainsBySite.TryGetValue(route.SiteId, out var seen) ? seen : domainsBySite[route.SiteId] = []).Add(byDomain.Key);
            }

            (bySite.TryGetValue(route.SiteId, out var list) ? list : bySite[route.SiteId] = []).AddRange(byDomain);
        }

        var pool = sourceIps.Count > 0 ? sourceIps : [LaneKeys.DefaultSource];
        var routing = new LaneRouting(grains);
        foreach (var (site, siteItems) in bySite)
        {
            var chosen = await routing.Place(tenantId, site, pool, siteItems.Select(i => i.Email).ToList());
            for (var i = 0; i < siteItems.Count; i++)
            {
                var lane = chosen[i] ?? LaneRouting.Fallback(site, pool, siteItems[i].Email);
                (lanes.TryGetValue(lane, out var list) ? list : lanes[lane] = []).Add(siteItems[i]);
            }
        }

        await Task.WhenAll(lanes.Select(l => grains.GetGrain<ILaneGrain>(l.Key).Enqueue(l.Value)));
        var directory = grains.GetGrain<ISiteDirectoryGrain>(ISiteDirectoryGrain.Key);
        foreach (var (site, domains) in domainsBySite)
        {
            await directory.DomainsSeen(site, domains); // one-way: costs the sender no round trip
        }
    }
}
