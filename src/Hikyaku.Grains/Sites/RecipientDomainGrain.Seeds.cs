using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Sites;
using Hikyaku.Domain.Tenants;
using Hikyaku.Grains.Delivery;
using Microsoft.Extensions.Logging;

namespace Hikyaku.Grains.Sites;

/// <summary>
/// Cooldowns end on time, and a probing lane probes the tenant's seed address first. A reminder wakes the site when the
/// earliest cooldown ends (and once a minute while a lane probes, so a restart loses nothing): the cooldown turns into
/// probing and the lane is told, even when no reader waits in it; the lane then sends its test message to the seed, and
/// its reply is judged here as a probe.
/// </summary>
public sealed partial class RecipientDomainGrain : IRemindable
{
    private const string CooldownReminder = "cooldown";

    /// <summary>A reminder's shortest period: it only matters while a lane probes (cooldown ends set its due time).</summary>
    private static readonly TimeSpan WatchPeriod = TimeSpan.FromMinutes(1);

    // When the registered reminder is next due (null: none registered by this activation).
    private DateTimeOffset? _watchDue;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != CooldownReminder)
        {
            return;
        }

        _watchDue = null;
        foreach (var (ip, lane) in State.Lanes.ToList())
        {
            if (lane.State == LaneStates.Blocked)
            {
                await CoolDown(ip);
            }
            else if (lane.State == LaneStates.Probing)
            {
                // Again every minute: a lane that lost its wake-up in a restart probes all the same.
                Wake(ip);
            }
        }

        await KeepWatch();
    }

    public async Task<LaneGate> SeedProbed(string sourceIp, string blockId, SeedProbeReport report)
    {
        var lane = State.LaneOf(sourceIp);
        if (lane.State != LaneStates.Probing || lane.BlockId != blockId)
        {
            // Answered after the lane moved on (an operator extended the block, another probe decided): nothing to judge.
            return await GateWithSeed(sourceIp, letProbe: false);
        }

        var outcome = SeedProbes.Judge(report.Reply);
        var stamp = NewStamp();
        var events = new List<SiteEvent> { new LaneSeedProbed(stamp.Id, stamp.At, blockId, report.Seed, report.Reply, SeedProbes.Name(outcome)) };
        var tenantId = State.Blocks[blockId].TenantId;
        if (outcome == SeedProbeOutcome.Refused)
        {
            var until = Time.GetUtcNow() + await CooldownFor(tenantId, lane.FailedProbes + 1);
            var failed = NewStamp();
            events.Add(new LaneProbeFailed(failed.Id, failed.At, blockId, until, new BlockEvidence(report.At, report.Seed, report.Reply)));
            LogProbeFailed(logger, SiteId, report.Seed, blockId, until);
        }
        else if (outcome == SeedProbeOutcome.Passed && lane.ProbesDelivered + 1 >= _judge.Rule.ProbeMessages)
        {
            var reopened = NewStamp();
            events.Add(new LaneReopened(reopened.Id, reopened.At, blockId, lane.ProbesDelivered + 1));
            LogReopened(logger, SiteId, blockId, lane.ProbesDelivered + 1);
        }

        LogSeedProbed(logger, SiteId, sourceIp, blockId, report.Seed, SeedProbes.Name(outcome), report.Reply.Code, report.Reply.Text);
        RaiseEvents(events);
        await ConfirmEvents();
        await KeepWatch();
        return await GateWithSeed(sourceIp, letProbe: false);
    }

    /// <summary>The lane's gate with, while it probes, the seed address its probes go to first (if the block's tenant has one here).</summary>
    private async Task<LaneGate> GateWithSeed(string sourceIp, bool letProbe)
    {
        var gate = GateOf(sourceIp, letProbe);
        if (gate.State != LaneStates.Probing || gate.BlockId is not { } blockId || !State.Blocks.TryGetValue(blockId, out var block))
        {
            return gate;
        }

        var seeds = await GrainFactory.GetGrain<ITenantGrain>(block.TenantId).GetSeedAddresses();
        return SeedAddresses.For(seeds, SiteId) is { } seed
            ? gate with { Seed = new SeedProbeTarget(block.TenantId, seed.Address, State.LaneOf(sourceIp).SeedPassed) }
            : gate;
    }

    /// <summary>Tells the lane it probes now. One-way: the lane may be waiting on this grain at this very moment.</summary>
    private void Wake(string sourceIp) => GrainFactory.GetGrain<ILaneGrain>(LaneKeys.For(SiteId, sourceIp)).Wake();

    /// <summary>
    /// Keeps the reminder due when the earliest cooldown ends (every minute while a lane probes), and drops it when no lane is
    /// blocked or probing. A reminder that cannot be written is logged, never thrown: the decision it follows is already stored,
    /// and a lane with readers still turns its cooldown into probing when it asks for its gate.
    /// </summary>
    private async Task KeepWatch()
    {
        var now = Time.GetUtcNow();
        var ends = State.Lanes.Values.Where(l => l.State == LaneStates.Blocked && l.Until is not null).Select(l => l.Until!.Value).ToList();
        var probing = State.Lanes.Values.Any(l => l.State == LaneStates.Probing);
        try
        {
            if (ends.Count == 0 && !probing)
            {
                if (await this.GetReminder(CooldownReminder) is { } reminder)
                {
                    await this.UnregisterReminder(reminder);
                }

                _watchDue = null;
                return;
            }

            var due = ends.Count > 0 ? ends.Min() : now + WatchPeriod;
            if (_watchDue is { } registered && registered <= due && registered > now)
            {
                // Due before then already: it comes back here and looks again.
                return;
            }

            await this.RegisterOrUpdateReminder(CooldownReminder, due > now ? due - now : TimeSpan.Zero, WatchPeriod);
            _watchDue = due;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogWatchFailed(logger, SiteId, e);
        }
    }

    [LoggerMessage(EventId = 5308, Level = LogLevel.Information, Message = "Site {Site}: lane {SourceIp} probed {BlockId} with seed {Seed}: {Outcome} ({Code} {Text})")]
    private static partial void LogSeedProbed(ILogger logger, string site, string sourceIp, string blockId, string seed, string outcome, int code, string text);

    [LoggerMessage(EventId = 5307, Level = LogLevel.Warning, Message = "Site {Site}: the cooldown reminder could not be kept; lanes with readers still probe when they ask")]
    private static partial void LogWatchFailed(ILogger logger, string site, Exception exception);
}
