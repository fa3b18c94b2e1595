using Hikyaku.Contracts.Grains;

namespace Hikyaku.Grains.Delivery;

/// <summary>In-memory directory of sites, their domains and lanes, as traffic reveals them.</summary>
public sealed class SiteDirectoryGrain : Grain, ISiteDirectoryGrain
{
    private const int MaxDomainsPerSite = 500;
    private readonly Dictionary<string, (SortedSet<string> Domains, SortedSet<string> SourceIps)> _sites = new(StringComparer.Ordinal);

    public Task DomainsSeen(string siteId, IReadOnlyList<string> domains)
    {
        var site = Site(siteId);
        foreach (var domain in domains)
        {
            if (site.Domains.Count >= MaxDomainsPerSite)
            {
                break;
            }

            site.Domains.Add(domain);
        }

        return Task.CompletedTask;
    }

    public Task LaneSeen(string siteId, string sourceIp)
    {
        Site(siteId).SourceIps.Add(sourceIp);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SiteSeen>> Get() =>
        Task.FromResult<IReadOnlyList<SiteSeen>>(_sites.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => new SiteSeen(s.Key, [.. s.Value.Domains], [.. s.Value.SourceIps])).ToList());

    private (SortedSet<string> Domains, SortedSet<string> SourceIps) Site(string siteId)
    {
        if (!_sites.TryGetValue(siteId, out var site))
        {
            _sites[siteId] = site = (new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        }

        return site;
    }
}
