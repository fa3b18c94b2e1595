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
            default:
                throw new InvalidOperationException($"TenantState cannot apply {@event.GetType().Name}");
        }
    }

    public TenantView ToView(string id) => new(id, Name ?? string.Empty, Ips, CreatedAt);
}
