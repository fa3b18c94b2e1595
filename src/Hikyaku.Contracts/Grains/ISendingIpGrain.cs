using Hikyaku.Contracts.Model;

namespace Hikyaku.Contracts.Grains;

/// <summary>One sending IP: which tenant owns it and how much it sent per day (later: cooldowns, warm-up, DNSBL). Key: the address.</summary>
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

    /// <summary>Counts <paramref name="count"/> messages accepted from this IP on <paramref name="day"/> (UTC); a lane calls it once per batch.</summary>
    [Alias("RecordSent")]
    Task RecordSent(DateOnly day, int count);

    /// <summary>Records a DNS block list check: <paramref name="listedZones"/> (zone → answer codes) list the IP now. An event only on a change.</summary>
    [Alias("RecordDnsbl")]
    Task<DnsblChange> RecordDnsbl(IReadOnlyDictionary<string, IReadOnlyList<string>> listedZones);
}
