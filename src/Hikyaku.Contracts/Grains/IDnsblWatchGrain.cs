namespace Hikyaku.Contracts.Grains;

/// <summary>
/// Checks every tenant's sending IPs on the configured DNS block lists (<c>Blocks:DnsblZones</c>), every
/// <c>Blocks:DnsblInterval</c>, kept alive by a reminder: a listing is recorded on the IP, and the sites known to use that
/// list (<c>Blocks:DnsblSites</c>) block the IP's lane until the list drops it. One per cluster; key <see cref="Key"/>.
/// </summary>
[Alias("hikyaku.IDnsblWatchGrain")]
public interface IDnsblWatchGrain : IGrainWithStringKey
{
    const string Key = "dnsbl";

    /// <summary>Makes sure the watch runs (idempotent): the reminder, and a check now.</summary>
    [Alias("Start")]
    Task Start();

    /// <summary>Checks every sending IP now; answers how many are listed somewhere.</summary>
    [Alias("CheckNow")]
    Task<int> CheckNow();
}
