using Hikyaku.Contracts.Model;

namespace Hikyaku.Contracts.Grains;

/// <summary>One sending IP: which tenant owns it, how much it sent per day and per provider, its warm-up and DNSBL status. Key: the address.</summary>
[Alias("hikyaku.ISendingIpGrain")]
public interface ISendingIpGrain : IGrainWithStringKey
{
    /// <summary>Assigns the IP to <paramref name="tenantId"/>; a conflict when another tenant owns it.</summary>
    [Alias("Assign")]
    Task<Outcome<Done>> Assign(string tenantId);

    /// <summary>Releases the IP if <paramref name="tenantId"/> owns it.</summary>
    [Alias("Release")]
    Task Release(string tenantId);

    [Alias("Get")]
    Task<SendingIpView> Get();

    /// <summary>
    /// Counts <paramref name="count"/> messages accepted from this IP by <paramref name="siteId"/> on <paramref name="day"/>
    /// (UTC); a lane calls it once per batch. The count moves the IP's warm-up toward the site.
    /// </summary>
    [Alias("RecordSent")]
    Task RecordSent(DateOnly day, int count, string? siteId);

    /// <summary>The IP's warm-up toward <paramref name="siteId"/> today: its day, cap and what the site accepted so far.</summary>
    [Alias("WarmupToward")]
    Task<WarmupStatus> WarmupToward(string siteId);

    /// <summary>
    /// (Re)starts the IP's warm-up at <paramref name="day"/>, toward every provider when <paramref name="provider"/> is null,
    /// else toward that provider site. <paramref name="by"/>: <c>admin</c>, or the block whose long cooldown ended.
    /// </summary>
    [Alias("StartWarmup")]
    Task<WarmupView> StartWarmup(int day, string? provider, string by);

    /// <summary>The IP is warm (no cap) toward every provider when <paramref name="provider"/> is null, else toward that one.</summary>
    [Alias("EndWarmup")]
    Task<WarmupView> EndWarmup(string? provider, string by);

    /// <summary>Records a DNS block list check: <paramref name="listedZones"/> (zone → answer codes) list the IP now. An event only on a change.</summary>
    [Alias("RecordDnsbl")]
    Task<DnsblChange> RecordDnsbl(IReadOnlyDictionary<string, IReadOnlyList<string>> listedZones);
}
