using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Tenants;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.Tenants;

public sealed partial class TenantGrain(EventSourcingServices services) : EventSourcedGrain<TenantState, TenantEvent>(services), ITenantGrain
{
    private string TenantId => this.GetPrimaryKeyString();

    protected override string StreamId => $"tenant:{TenantId}";

    /// <summary>
    /// A tenant that exists is listed: one created before the directory existed (or whose entry a crash lost) joins it
    /// the first time its grain wakes, which every call with its key does.
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        if (State.Exists)
        {
            _ = GrainFactory.GetGrain<IDirectoryGrain>(IDirectoryGrain.Tenants).Remember(TenantId);
        }
    }

    public async Task<Outcome<TenantCreatedView>> Create(string name)
    {
        if (State.Exists)
        {
            return CommandError.Conflict($"tenant '{TenantId}' already exists", "id");
        }

        // Listed first: a crash before the event leaves an entry the list skips, never a tenant it misses.
        await GrainFactory.GetGrain<IDirectoryGrain>(IDirectoryGrain.Tenants).Add(TenantId);
        var (key, hash) = ApiKey.Create(TenantId);
        var stamp = NewStamp();
        await RaiseAndConfirm(new TenantCreated(stamp.Id, stamp.At, name, hash));
        return Outcome<TenantCreatedView>.Ok(new TenantCreatedView(TenantId, name, key));
    }

    public Task<TenantView?> Get() => Task.FromResult(State.Exists ? State.ToView(TenantId) : null);

    public Task<bool> VerifyApiKey(string secretHash) =>
        Task.FromResult(State.ApiKeyHash is { } stored && ApiKey.HashesEqual(stored, secretHash));

    public async Task RegisterBroadcast(string broadcastId, string magazineId)
    {
        if (!State.Broadcasts.Contains(broadcastId))
        {
            var stamp = NewStamp();
            await RaiseAndConfirm(new TenantBroadcastRegistered(stamp.Id, stamp.At, broadcastId, magazineId));
        }
    }

    public Task<IReadOnlyList<string>> ListBroadcasts() => Task.FromResult<IReadOnlyList<string>>(State.Broadcasts.AsEnumerable().Reverse().ToList());

    public Task<SendingSettings> GetSendingSettings() => Task.FromResult(State.Settings);

    public async Task SetSendingSettings(SendingSettings settings)
    {
        var stamp = NewStamp();
        await RaiseAndConfirm(new TenantSendingSettingsChanged(stamp.Id, stamp.At, settings));
    }

    public Task<DkimSettings?> GetDkim() => Task.FromResult(State.Dkim);

    public async Task SetDkim(DkimSettings? dkim)
    {
        var stamp = NewStamp();
        await RaiseAndConfirm(dkim is null ? new TenantDkimKeyRemoved(stamp.Id, stamp.At) : new TenantDkimKeySet(stamp.Id, stamp.At, dkim));
    }

    public Task<IReadOnlyList<SeedAddress>> GetSeedAddresses() => Task.FromResult<IReadOnlyList<SeedAddress>>(State.SeedAddresses.ToList());

    public async Task SetSeedAddresses(IReadOnlyList<SeedAddress> items)
    {
        var stamp = NewStamp();
        await RaiseAndConfirm(new TenantSeedAddressesSet(stamp.Id, stamp.At, items.ToList()));
    }

    public async Task<Outcome<TenantView>> SetIps(IReadOnlyList<string> ips)
    {
        if (!State.Exists)
        {
            return CommandError.NotFound($"no tenant '{TenantId}'");
        }

        var normalized = IpPool.Normalize(ips);
        if (normalized.Error is { } invalid)
        {
            return invalid;
        }

        var wanted = normalized.Value!;
        var added = wanted.Except(State.Ips).ToList();
        var assigned = new List<string>();
        foreach (var ip in added)
        {
            var result = await GrainFactory.GetGrain<ISendingIpGrain>(ip).Assign(TenantId);
            if (result.Error is { } conflict)
            {
                // Nothing may change when the request is refused: give back what this call took.
                await Task.WhenAll(assigned.Select(a => GrainFactory.GetGrain<ISendingIpGrain>(a).Release(TenantId)));
                return conflict with { Field = $"ips[{wanted.ToList().IndexOf(ip)}]" };
            }

            assigned.Add(ip);
        }

        var stamp = NewStamp();
        var removed = State.Ips.Except(wanted).ToList();
        await RaiseAndConfirm(new TenantIpPoolSet(stamp.Id, stamp.At, wanted));
        await Task.WhenAll(removed.Select(r => GrainFactory.GetGrain<ISendingIpGrain>(r).Release(TenantId)));
        return Outcome<TenantView>.Ok(State.ToView(TenantId));
    }
}
