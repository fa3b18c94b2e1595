using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.SendingIps;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.SendingIps;

public sealed class SendingIpGrain(EventSourcingServices services) : EventSourcedGrain<SendingIpState, SendingIpEvent>(services), ISendingIpGrain
{
    private string Ip => this.GetPrimaryKeyString();

    protected override string StreamId => $"ip:{Ip}";

    public async Task<Outcome<Done>> Assign(string tenantId)
    {
        if (State.TenantId == tenantId)
        {
            return Outcome<Done>.Ok(Done.Value);
        }

        if (State.TenantId is not null)
        {
            // Another tenant's IP: say that it is taken, never by whom.
            return CommandError.Conflict($"{Ip} is already in another tenant's pool");
        }

        var stamp = NewStamp();
        await RaiseAndConfirm(new SendingIpAssigned(stamp.Id, stamp.At, tenantId));
        return Outcome<Done>.Ok(Done.Value);
    }

    public async Task Release(string tenantId)
    {
        if (State.TenantId == tenantId)
        {
            var stamp = NewStamp();
            await RaiseAndConfirm(new SendingIpReleased(stamp.Id, stamp.At, tenantId));
        }
    }

    public Task<SendingIpView> Get() => Task.FromResult(new SendingIpView(Ip, State.TenantId, State.AssignedAt));
}
