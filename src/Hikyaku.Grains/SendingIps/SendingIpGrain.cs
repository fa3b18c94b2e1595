using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.SendingIps;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.SendingIps;

public sealed class SendingIpGrain(EventSourcingServices services, WarmupOptions warmup) : EventSourcedGrain<SendingIpState, SendingIpEvent>(services), ISendingIpGrain
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
        RaiseEvent(new SendingIpAssigned(stamp.Id, stamp.At, tenantId));
        if (warmup.NewIps)
        {
            // A new IP has no reputation with any provider yet: it follows each provider's curve from day 0.
            var started = NewStamp();
            RaiseEvent(new SendingIpWarmupStarted(started.Id, started.At, 0, null, "assigned"));
        }

        await ConfirmEvents();
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

    private DateOnly Today => DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);

    public Task<SendingIpView> Get()
    {
        var today = Today;
        return Task.FromResult(new SendingIpView(Ip, State.TenantId, State.AssignedAt, State.SentOn(today), State.Recent(today), State.Dnsbl,
            State.WarmupView(warmup.Plan, today)));
    }

    public Task<WarmupStatus> WarmupToward(string siteId) => Task.FromResult(State.WarmupToward(siteId, warmup.Plan, Today));

    public async Task<WarmupView> StartWarmup(int day, string? provider, string by)
    {
        var stamp = NewStamp();
        await RaiseAndConfirm(new SendingIpWarmupStarted(stamp.Id, stamp.At, day, provider, by));
        return State.WarmupView(warmup.Plan, Today);
    }

    public async Task<WarmupView> EndWarmup(string? provider, string by)
    {
        var warming = provider is null ? State.WarmingAll is not null || State.Warmup.Count > 0 : State.PositionToward(provider) is not null;
        if (warming)
        {
            var stamp = NewStamp();
            await RaiseAndConfirm(new SendingIpWarmupEnded(stamp.Id, stamp.At, provider, by));
        }

        return State.WarmupView(warmup.Plan, Today);
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

    public async Task RecordSent(DateOnly day, int count, string? siteId)
    {
        if (count > 0)
        {
            var stamp = NewStamp();
            await RaiseAndConfirm(new SendingIpSentCounted(stamp.Id, stamp.At, day, count, siteId));
        }
    }
}
