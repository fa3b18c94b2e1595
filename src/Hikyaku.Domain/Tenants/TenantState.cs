using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Domain.Tenants;

[GenerateSerializer]
public sealed class TenantState : IEventSourcedState<TenantEvent>
{
    [Id(0)] public string? Name { get; set; }

    [Id(1)] public string? ApiKeyHash { get; set; }

    [Id(2)] public List<string> Ips { get; set; } = [];

    [Id(3)] public DateTimeOffset CreatedAt { get; set; }

    [Id(4)] public List<string> Broadcasts { get; set; } = [];

    [Id(5)] public SendingSettings Settings { get; set; } = SendingSettings.Default;

    /// <summary>Complaints (ARF reports) counted so far, by their id: each is counted once.</summary>
    [Id(6)] public HashSet<string> ComplaintIds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Message key → complaints about that message.</summary>
    [Id(7)] public Dictionary<string, int> ComplaintsByMessage { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The latest complaints, newest last, at most <see cref="LatestComplaintsKept"/>.</summary>
    [Id(8)] public List<ComplaintView> LatestComplaints { get; set; } = [];

    /// <summary>The DKIM key the tenant's mail is signed with, or null.</summary>
    [Id(9)] public DkimSettings? Dkim { get; set; }

    /// <summary>The tenant's own mailboxes at providers, for test deliveries and for a cooling lane's first probe.</summary>
    [Id(10)] public List<SeedAddress> SeedAddresses { get; set; } = [];

    public const int LatestComplaintsKept = 20;

    public bool Exists => Name is not null;

    public void Apply(TenantEvent @event)
    {
        switch (@event)
        {
            case TenantCreated e:
                Name = e.Name;
                ApiKeyHash = e.ApiKeyHash;
                CreatedAt = e.At;
                break;
            case TenantIpPoolSet e:
                Ips = [.. e.Ips];
                break;
            case TenantBroadcastRegistered e:
                Broadcasts.Add(e.BroadcastId);
                break;
            case TenantSendingSettingsChanged e:
                Settings = e.Settings;
                break;
            case TenantDkimKeySet e:
                Dkim = e.Dkim;
                break;
            case TenantDkimKeyRemoved:
                Dkim = null;
                break;
            case TenantSeedAddressesSet e:
                SeedAddresses = [.. e.Items];
                break;
            case TenantComplaintRecorded e:
                ComplaintIds.Add(e.ComplaintId);
                ComplaintsByMessage[e.MessageKey] = ComplaintsByMessage.GetValueOrDefault(e.MessageKey) + 1;
                LatestComplaints.Add(new ComplaintView(e.At, e.MagazineId, e.Email, e.MessageKey));
                if (LatestComplaints.Count > LatestComplaintsKept)
                {
                    LatestComplaints.RemoveAt(0);
                }

                break;
            default:
                throw new InvalidOperationException($"TenantState cannot apply {@event.GetType().Name}");
        }
    }

    public TenantView ToView(string id) => new(id, Name ?? string.Empty, Ips, CreatedAt, ComplaintIds.Count);

    public ComplaintSummary ToComplaintSummary() =>
        new(ComplaintIds.Count, new Dictionary<string, int>(ComplaintsByMessage, StringComparer.Ordinal), [.. LatestComplaints]);
}
