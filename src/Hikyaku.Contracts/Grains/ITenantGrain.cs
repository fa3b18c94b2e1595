using Hikyaku.Contracts.Model;

namespace Hikyaku.Contracts.Grains;

/// <summary>A tenant (a customer of the hosting company). Key: tenant id.</summary>
[Alias("hikyaku.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant with a fresh API key, returned only here.</summary>
    [Alias("Create")]
    Task<Outcome<TenantCreatedView>> Create(string name);

    [Alias("Get")]
    Task<TenantView?> Get();

    /// <summary>True when the tenant exists and the SHA-256 hash (hex) of the key's secret matches.</summary>
    [Alias("VerifyApiKey")]
    Task<bool> VerifyApiKey(string secretHash);

    /// <summary>Records a new broadcast in the tenant's delivery history (配信履歴).</summary>
    [Alias("RegisterBroadcast")]
    Task RegisterBroadcast(string broadcastId, string magazineId);

    /// <summary>The tenant's broadcasts, newest first.</summary>
    [Alias("ListBroadcasts")]
    Task<IReadOnlyList<string>> ListBroadcasts();

    [Alias("GetSendingSettings")]
    Task<SendingSettings> GetSendingSettings();

    [Alias("SetSendingSettings")]
    Task SetSendingSettings(SendingSettings settings);

    /// <summary>The tenant's DKIM key (private key sealed), or null when its mail goes out unsigned.</summary>
    [Alias("GetDkim")]
    Task<DkimSettings?> GetDkim();

    /// <summary>Sets or replaces the DKIM key; null removes it.</summary>
    [Alias("SetDkim")]
    Task SetDkim(DkimSettings? dkim);

    /// <summary>Replaces the tenant's pool of dedicated sending IPs; an IP owned by another tenant is a conflict.</summary>
    [Alias("SetIps")]
    Task<Outcome<TenantView>> SetIps(IReadOnlyList<string> ips);

    /// <summary>The tenant's seed addresses (its own mailboxes at providers), in the order they were set.</summary>
    [Alias("GetSeedAddresses")]
    Task<IReadOnlyList<SeedAddress>> GetSeedAddresses();

    /// <summary>Replaces the tenant's seed addresses; the caller has checked them (known providers, valid addresses, no duplicates).</summary>
    [Alias("SetSeedAddresses")]
    Task SetSeedAddresses(IReadOnlyList<SeedAddress> items);

    /// <summary>Counts a reader's complaint; false when this complaint was already counted.</summary>
    [Alias("RecordComplaint")]
    Task<bool> RecordComplaint(string complaintId, string magazineId, string email, string messageKey);

    /// <summary>The tenant's complaints so far.</summary>
    [Alias("GetComplaints")]
    Task<ComplaintSummary> GetComplaints();
}
