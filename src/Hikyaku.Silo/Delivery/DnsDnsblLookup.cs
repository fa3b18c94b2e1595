using System.Net;
using Hikyaku.Dns;
using Hikyaku.Grains.Sites;

namespace Hikyaku.Silo.Delivery;

/// <summary>The DNS block list lookup over the configured name servers (real delivery only).</summary>
public sealed class DnsDnsblLookup(IDnsblChecker checker) : IDnsblLookup
{
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ListedAsync(string ip, CancellationToken cancellationToken)
    {
        var results = await checker.CheckAsync(IPAddress.Parse(ip), cancellationToken);
        return results.Where(r => r.Listed)
            .ToDictionary(r => r.Zone, r => (IReadOnlyList<string>)r.ReturnCodes.Select(c => c.ToString()).ToList(), StringComparer.OrdinalIgnoreCase);
    }
}
