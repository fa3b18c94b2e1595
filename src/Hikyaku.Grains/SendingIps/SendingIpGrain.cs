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

    // One event per lane batch: a busy IP's stream grows by thousands a day, its state by at most a month of counts.
    protected override string SnapshotName => "sending-ip-state.v1";

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

    public Task<SendingIpView> Get()
    {
        var today = DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);
        return Task.FromResult(new SendingIpView(Ip, State.TenantId, State.AssignedAt, State.SentOn(today), State.Recent(today), State.Dnsbl));
    }

    public async Task<DnsblChange> RecordDnsbl(IReadOnlyDictionary<string, IReadOnlyList<string>> listedZones)
    {
        var change = State.Compare(listedZones, Time.GetUtcNow());
        if (change.Changed)
        {
            var stamp = NewStamp();
            await RaiseAndConfirm(new SendingIpDnsblChanged(stamp.Id, stamp.At, change.Listed));
        }

        return change;
    }

    public async Task RecordSent(DateOnly day, int count)
    {
        if (count > 0)
        {
            var stamp = NewStamp();
            await RaiseAndConfirm(new SendingIpSentCounted(stamp.Id, stamp.At, day, count));
        }
    }
}
