using Orleans.Concurrency;

namespace Hikyaku.Contracts.Grains;

/// <summary>
/// What the cluster has seen of provider sites since it started: the recipient domains routed to each site,
/// and the lanes (site × sending IP) that exist. One instance, key <see cref="Key"/>. It is a directory for
/// operators (GET /v1/providers), rebuilt by traffic after a restart, not a record anything depends on.
/// </summary>
[Alias("hikyaku.ISiteDirectoryGrain")]
public interface ISiteDirectoryGrain : IGrainWithStringKey
{
    const string Key = "sites";

    [Alias("DomainsSeen"), OneWay]
    Task DomainsSeen(string siteId, IReadOnlyList<string> domains);

    [Alias("LaneSeen"), OneWay]
    Task LaneSeen(string siteId, string sourceIp);

    [Alias("Get")]
    Task<IReadOnlyList<SiteSeen>> Get();
}

/// <param name="Domains">Recipient domains routed to the site (at most a few hundred are kept per site).</param>
/// <param name="SourceIps">Sending IPs with a lane toward the site.</param>
[GenerateSerializer, Alias("hikyaku.site-seen")]
public sealed record SiteSeen(
    [property: Id(0)] string SiteId,
    [property: Id(1)] IReadOnlyList<string> Domains,
    [property: Id(2)] IReadOnlyList<string> SourceIps);
