using Hikyaku.Contracts.Events;

namespace Hikyaku.Domain.SendingIps;

[GenerateSerializer]
public sealed class SendingIpState : IEventSourcedState<SendingIpEvent>
{
    [Id(0)] public string? TenantId { get; set; }

    [Id(1)] public DateTimeOffset? AssignedAt { get; set; }

    public void Apply(SendingIpEvent @event)
    {
        switch (@event)
        {
            case SendingIpAssigned e:
                TenantId = e.TenantId;
                AssignedAt = e.At;
                break;
            case SendingIpReleased:
                TenantId = null;
                AssignedAt = null;
                break;
            default:
                throw new InvalidOperationException($"SendingIpState cannot apply {@event.GetType().Name}");
        }
    }
}
