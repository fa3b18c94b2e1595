using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Delivery;
using Hikyaku.Domain.Sites;
using Microsoft.Extensions.Options;
using Hikyaku.Grains.Delivery;
using Hikyaku.Grains.SendingIps;
using Hikyaku.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace Hikyaku.Grains.Sites;

/// <summary>
/// A provider site's block detector and its lanes' block state (see <see cref="IRecipientDomainGrain"/>): loads its
/// stream, has <see cref="SiteDetector"/> decide on each batch, raises an event for every state change with the evidence
/// that decided it, and answers lanes and operators.
/// </summary>
public sealed partial class RecipientDomainGrain(EventSourcingServices services, BlockOptions options, WarmupOptions warmup, BlockMetrics metrics, ILogger<RecipientDomainGrain> logger)
    : EventSourcedGrain<SiteState, SiteEvent>(services), IRecipientDomainGrain
{
    /// <summary>How long an error stop can be taken back when a block is found behind it.</summary>
    private static readonly TimeSpan ReclaimWindow = TimeSpan.FromHours(1);

    private const int ReclaimKept = 500;

    /// <summary>A block found through another lane has no known start: error stops this recent are taken back.</summary>
    private static readonly TimeSpan ConfirmedReclaimWindow = TimeSpan.FromMinutes(15);

    // Readers this site's lanes told were dead, by sending IP, newest last: a block found later takes them back.
    private readonly Dictionary<string, List<JudgedReply>> _dead = new(StringComparer.Ordinal);
    private SiteDetector _judge = null!;

    private string SiteId => this.GetPrimaryKeyString();

    protected override string StreamId => $"site:{SiteId}";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _judge = new SiteDetector(SiteId, options.RuleFor(SiteId));
        return base.OnActivateAsync(cancellationToken);
    }

    protected override void OnStateLoaded(SiteState state) =>
        metrics.Loaded(SiteId, state.Lanes.Select(l => (l.Key, l.Value.State)));

    protected override void OnAppended(IReadOnlyList<SiteEvent> updates, int newVersion) =>
        metrics.Observe(SiteId, updates, blockId => State.Blocks.TryGetValue(blockId, out var block) ? block.SourceIp : null);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Forget(SiteId);
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    public async Task<LaneGate> Gate(string sourceIp)
    {
        await CoolDown(sourceIp);
        return await GateWithSeed(sourceIp, letProbe: true);
    }

    public async Task<IReadOnlyList<LaneGate>> Gates(IReadOnlyList<string> sourceIps)
    {
        foreach (var ip in sourceIps)
        {
            await CoolDown(ip);
        }

        return sourceIps.Select(ip => GateOf(ip, letProbe: false)).ToList();
    }

    public Task<string> GetSilo() => Task.FromResult(RuntimeIdentity);

    public async Task<LaneJudgement> Judge(string tenantId, string sourceIp, double ratePerMinute, IReadOnlyList<JudgedReply> replies)
    {
        await CoolDown(sourceIp);
        var now = Time.GetUtcNow();
        var lane = State.LaneOf(sourceIp);
        var assessment = _judge.Assess(sourceIp, lane.State,
            replies.Select(r => new LaneReply(r.At, r.Item.Email, r.Reply, r.DeliveredBefore, r.LastAttempt, r.Item.RecheckOf, r.Transcript)).ToList());
        var verdicts = new DeliveryVerdict[replies.Count];
        var events = new List<SiteEvent>();
        var blockId = lane.State == LaneStates.Open ? null : lane.BlockId;
        IReadOnlyList<JudgedReply> reclaimed = [];
        var reclaims = new List<ReclaimedReaders>();
        if (assessment.Block is { } decision && lane.State == LaneStates.Open)
        {
            var cooldown = await CooldownFor(tenantId, lane.FailedProbes);
            blockId = $"{SiteId}.{State.BlockCount + 1}";
            var stamp = NewStamp();
            events.Add(new LaneBlocked(stamp.Id, stamp.At, blockId, sourceIp, tenantId, decision.Kind, decision.Since, now + cooldown, decision.Evidence, decision.Figures, ratePerMinute));
            reclaimed = TakeDead(sourceIp, decision.Since);
            LogBlocked(logger, SiteId, sourceIp, blockId, decision.Kind, decision.Figures.Rule, now + cooldown);
        }
        else if (lane.State == LaneStates.Probing && lane.BlockId is { } probed)
        {
            events.AddRange(Probe(tenantId, probed, lane, assessment, replies, now, await CooldownFor(tenantId, lane.FailedProbes + 1)));
        }

        foreach (var (otherIp, confirmed) in assessment.Confirmed)
        {
            // Another lane's "unknown" reader was accepted here: that lane is blocked in disguise (if it still sends).
            var other = State.LaneOf(otherIp);
            if (other.State == LaneStates.Open && !events.OfType<LaneBlocked>().Any(b => b.SourceIp == otherIp) && !RefusedBeforeReopening(other, otherIp, confirmed, replies))
            {
                var cooldown = await CooldownFor(tenantId, other.FailedProbes);
                var otherBlock = $"{SiteId}.{State.BlockCount + 1 + events.OfType<LaneBlocked>().Count()}";
                var stamp = NewStamp();
                events.Add(new LaneBlocked(stamp.Id, stamp.At, otherBlock, otherIp, tenantId, confirmed.Kind, confirmed.Since, now + cooldown, confirmed.Evidence, confirmed.Figures, null));
                LogBlocked(logger, SiteId, otherIp, otherBlock, confirmed.Kind, confirmed.Figures.Rule, now + cooldown);
                // Its start is not known: readers it told were dead in the last minutes are checked again from a clean lane.
                var taken = TakeDead(otherIp, now - ConfirmedReclaimWindow);
                reclaims.Add(new ReclaimedReaders(otherBlock, otherIp, taken));
                var touched = NewStamp();
                events.Add(new BlockReadersTouched(touched.Id, touched.At, otherBlock, [], taken.Select(r => r.Reader).ToList()));
            }
        }

        var held = new List<string>();
        for (var i = 0; i < replies.Count; i++)
        {
            var (kind, reason, suspect) = assessment.Verdicts[i];
            var classification = replies[i].Reply.Reason ?? ReplyRecords.Classified(replies[i].Reply).Reason!;
            if (kind == VerdictKind.Hold && blockId is null)
            {
                // Not blocked after all (a lane that was blocked has opened since): try again.
                kind = VerdictKind.Retry;
            }

            verdicts[i] = kind switch
            {
                // Suspect: not a verdict on the address yet; the lane retries it from another IP.
                VerdictKind.Retry when suspect => new DeliveryVerdict(VerdictKind.Retry, classification, LaneJudgeReasons.Suspect),
                VerdictKind.Retry => DeliveryDecision.Retry(classification, replies[i].LastAttempt),
                VerdictKind.Hold => new DeliveryVerdict(VerdictKind.Hold, classification, $"block:{blockId}", blockId),
                _ => new DeliveryVerdict(kind, classification, reason),
            };
            if (verdicts[i].Kind == VerdictKind.Hold)
            {
                held.Add(replies[i].Reader);
            }
            else if (verdicts[i].Kind == VerdictKind.Dead
                || (verdicts[i].Kind == VerdictKind.Bounced && _judge.Rule.IsFilterAfterData(ReplyRecords.Classified(replies[i].Reply))))
            {
                // Told dead (or refused by its filter) from here, and, for a check, refused before by the lane it checks: a
                // block found later on either lane takes the reader back.
                RememberDead(sourceIp, replies[i]);
                if (replies[i].Item.RecheckOf is { } origin && origin != sourceIp)
                {
                    RememberDead(origin, replies[i]);
                }
            }
        }

        if (blockId is not null && (held.Count > 0 || reclaimed.Count > 0))
        {
            var stamp = NewStamp();
            events.Add(new BlockReadersTouched(stamp.Id, stamp.At, blockId, held, reclaimed.Select(r => r.Reader).ToList()));
            if (reclaimed.Count > 0)
            {
                reclaims.Add(new ReclaimedReaders(blockId, sourceIp, reclaimed));
            }
        }

        if (events.Count > 0)
        {
            RaiseEvents(events);
            await ConfirmEvents();
            if (events.OfType<LaneBlocked>().Any())
            {
                await GrainFactory.GetGrain<IDirectoryGrain>(IDirectoryGrain.BlockedSites).Add(SiteId);
            }

            if (events.Any(e => e is LaneBlocked or LaneProbeFailed or LaneReopened))
            {
                await KeepWatch();
            }

            foreach (var reopened in events.OfType<LaneReopened>())
            {
                await RestartWarmupAfterLongCooldown(sourceIp, reopened);
            }
        }

        return new LaneJudgement(verdicts, await GateWithSeed(sourceIp, letProbe: false), reclaims, assessment.RateLimited);
    }

    /// <summary>
    /// Whether the refusal a confirmed block rests on came before the other lane's last block ended: that block explained it,
    /// and the lane has been probed and opened since, so the reader accepted here says nothing about the lane now.
    /// </summary>
    private bool RefusedBeforeReopening(LaneRecord other, string otherIp, LaneBlockDecision confirmed, IReadOnlyList<JudgedReply> replies)
    {
        var recipient = confirmed.Evidence[0].Recipient;
        var refusedAt = replies.FirstOrDefault(r => r.Item.RecheckOf == otherIp && r.Item.Email == recipient)?.Item is { } item ? item.RefusedAt ?? item.HeldSince : null;
        return refusedAt is { } at && other.BlockId is { } last && State.Blocks.TryGetValue(last, out var block) && block.EndedAt is { } ended && at <= ended;
    }

    public async Task NoteHeld(string blockId, IReadOnlyList<string> readers)
    {
        if (readers.Count > 0 && State.Blocks.ContainsKey(blockId))
        {
            var stamp = NewStamp();
            await RaiseAndConfirm(new BlockReadersTouched(stamp.Id, stamp.At, blockId, readers, []));
        }
    }

    public async Task DnsblChanged(string tenantId, string sourceIp, IReadOnlyList<DnsblListing> listed)
    {
        var lane = State.LaneOf(sourceIp);
        var now = Time.GetUtcNow();
        if (listed.Count > 0 && lane.State == LaneStates.Open)
        {
            // Listed where this provider looks: stop sending from the IP until the list drops it (checked again each interval).
            var blockId = $"{SiteId}.{State.BlockCount + 1}";
            var evidence = listed.Select(l => new BlockEvidence(l.CheckedAt, l.Zone,
                new ReplyRecord(0, null, $"{sourceIp} is listed on {l.Zone} ({string.Join(", ", l.Codes)}) since {l.Since:O}", ReplyStage.Dns, false, "dnsbl"))).ToList();
            var until = now + _judge.Rule.MaxCooldown;
            var stamp = NewStamp();
            await RaiseAndConfirm(new LaneBlocked(stamp.Id, stamp.At, blockId, sourceIp, tenantId, "dnsbl", listed.Min(l => l.Since), until, evidence, null, null));
            await GrainFactory.GetGrain<IDirectoryGrain>(IDirectoryGrain.BlockedSites).Add(SiteId);
            LogBlocked(logger, SiteId, sourceIp, blockId, "dnsbl", string.Join(", ", listed.Select(l => l.Zone)), until);
            await KeepWatch();
        }
        else if (listed.Count == 0 && lane is { State: LaneStates.Blocked, BlockId: { } blocked } && State.Blocks.TryGetValue(blocked, out var block) && block.Kind == "dnsbl")
        {
            var stamp = NewStamp();
            await RaiseAndConfirm(new LaneProbing(stamp.Id, stamp.At, blocked, "delisted"));
            LogProbing(logger, SiteId, sourceIp, blocked, "delisted");
            Wake(sourceIp);
            await KeepWatch();
        }
    }

    public Task<BlockView?> GetBlock(string blockId) =>
        Task.FromResult(State.Blocks.TryGetValue(blockId, out var block) ? block.ToView(SiteId) : null);

    public Task<IReadOnlyList<string>> BlockReaders(string blockId, string tenantId) =>
        Task.FromResult<IReadOnlyList<string>>(State.Blocks.TryGetValue(blockId, out var block)
            ? [.. block.Held.Concat(block.ErrorStoppedThenHeld).Distinct(StringComparer.Ordinal).Where(r => r.StartsWith(tenantId + "/", StringComparison.Ordinal))]
            : []);

    public Task<IReadOnlyList<BlockView>> ListBlocks(string? tenantId) =>
        Task.FromResult<IReadOnlyList<BlockView>>(State.Blocks.Values
            .Where(b => tenantId is null || b.TenantId == tenantId)
            .OrderByDescending(b => b.DetectedAt)
            .Select(b => b.ToView(SiteId))
            .ToList());

    public async Task<Outcome<BlockView>> Lift(string blockId, string by)
    {
        if (!State.Blocks.TryGetValue(blockId, out var block))
        {
            return CommandError.NotFound($"no block '{blockId}'");
        }

        if (block.State is not BlockStates.Active)
        {
            return CommandError.Conflict($"only a block that is cooling down can be lifted; this one is {block.State}");
        }

        var stamp = NewStamp();
        await RaiseAndConfirm(new LaneProbing(stamp.Id, stamp.At, blockId, by));
        LogProbing(logger, SiteId, block.SourceIp, blockId, by);
        Wake(block.SourceIp);
        await KeepWatch();
        return Outcome<BlockView>.Ok(State.Blocks[blockId].ToView(SiteId));
    }

    public async Task<Outcome<BlockView>> Extend(string blockId, DateTimeOffset until, string by)
    {
        if (!State.Blocks.TryGetValue(blockId, out var block))
        {
            return CommandError.NotFound($"no block '{blockId}'");
        }

        if (block.State is BlockStates.Ended)
        {
            return CommandError.Conflict("the block has ended; a new one is opened if the provider refuses the IP again");
        }

        if (until <= Time.GetUtcNow() || (block.Until is { } current && until <= current))
        {
            return CommandError.Invalid("until", $"must be later than the block's current end ({block.Until:O}) and than now");
        }

        var stamp = NewStamp();
        await RaiseAndConfirm(new BlockExtended(stamp.Id, stamp.At, blockId, until, by));
        await KeepWatch();
        return Outcome<BlockView>.Ok(State.Blocks[blockId].ToView(SiteId));
    }

    public async Task<Outcome<IReadOnlyList<string>>> Restore(string blockId, string? tenantId, string by)
    {
        if (!State.Blocks.TryGetValue(blockId, out var block))
        {
            return CommandError.NotFound($"no block '{blockId}'");
        }

        var touched = block.Held.Concat(block.ErrorStoppedThenHeld).Distinct(StringComparer.Ordinal)
            .Where(r => tenantId is null || r.StartsWith(tenantId + "/", StringComparison.Ordinal))
            .ToList();
        var outcomes = await Task.WhenAll(touched.Select(r => GrainFactory.GetGrain<ISubscriberGrain>(r).Restore($"block:{blockId}:{by}")));
        var restored = touched.Where((_, i) => outcomes[i].Succeeded).ToList();
        if (restored.Count > 0)
        {
            var stamp = NewStamp();
            await RaiseAndConfirm(new BlockReadersRestored(stamp.Id, stamp.At, blockId, restored, by));
        }

        LogRestored(logger, SiteId, block.SourceIp, blockId, restored.Count, by);
        return Outcome<IReadOnlyList<string>>.Ok(restored);
    }

    /// <summary>
    /// A cooldown that has run out turns into probing (an event, so a restart keeps it), and the lane is told: it probes
    /// even with no reader queued when the tenant has a seed address here.
    /// </summary>
    private async Task CoolDown(string sourceIp)
    {
        var lane = State.LaneOf(sourceIp);
        if (lane is { State: LaneStates.Blocked, BlockId: { } blockId, Until: { } until } && until <= Time.GetUtcNow())
        {
            var stamp = NewStamp();
            await RaiseAndConfirm(new LaneProbing(stamp.Id, stamp.At, blockId, "cooldown"));
            LogProbing(logger, SiteId, sourceIp, blockId, "cooldown");
            Wake(sourceIp);
            await KeepWatch();
        }
    }

    private LaneGate GateOf(string sourceIp, bool letProbe)
    {
        var lane = State.LaneOf(sourceIp);
        if (lane.State != LaneStates.Probing)
        {
            return new LaneGate(sourceIp, lane.State, lane.State == LaneStates.Blocked ? lane.Until : null, lane.BlockId, 0, lane.RateBefore);
        }

        // One probe at a time, spaced: the lane asks again before the next.
        var now = Time.GetUtcNow();
        var budget = 0;
        if (letProbe && (lane.LastProbeAt is not { } last || now - last >= _judge.Rule.ProbeSpacing))
        {
            budget = 1;
            lane.LastProbeAt = now;
        }

        return new LaneGate(sourceIp, LaneStates.Probing, null, lane.BlockId, budget, lane.RateBefore);
    }

    /// <summary>What a probing lane's replies mean: the block is still there (a longer cooldown), or enough went through to open.</summary>
    private IEnumerable<SiteEvent> Probe(string tenantId, string blockId, LaneRecord lane, LaneAssessment assessment, IReadOnlyList<JudgedReply> replies, DateTimeOffset now, TimeSpan cooldown)
    {
        var refused = replies.Select((r, i) => (r, i)).FirstOrDefault(x => assessment.Verdicts[x.i].Kind is VerdictKind.Hold or VerdictKind.Dead
            && _judge.Rule.IsRefusal(x.r.Reply));
        if (refused.r is { } failed)
        {
            var stamp = NewStamp();
            LogProbeFailed(logger, SiteId, failed.Item.Email, blockId, now + cooldown);
            yield return new LaneProbeFailed(stamp.Id, stamp.At, blockId, now + cooldown, new BlockEvidence(failed.At, failed.Item.Email, failed.Reply, BlockEvidence.Keep(failed.Transcript)));
            yield break;
        }

        lane.ProbesDelivered += replies.Count(r => r.Reply.Action == ReplyAction.Accepted);
        if (lane.ProbesDelivered >= _judge.Rule.ProbeMessages)
        {
            var stamp = NewStamp();
            LogReopened(logger, SiteId, lane.BlockId ?? blockId, lane.ProbesDelivered);
            yield return new LaneReopened(stamp.Id, stamp.At, blockId, lane.ProbesDelivered);
        }
    }

    /// <summary>
    /// A lane back from a block that kept it away from the provider at least <c>Delivery:Warmup:RestartAfterCooldown</c>
    /// (from the block's detection to its reopening) starts this provider's warm-up again at day 0: the provider has
    /// forgotten the IP's reputation, or holds a bad one.
    /// </summary>
    private async Task RestartWarmupAfterLongCooldown(string sourceIp, LaneReopened reopened)
    {
        if (sourceIp == LaneKeys.DefaultSource || LaneKeys.IsRelay(sourceIp)
            || !State.Blocks.TryGetValue(reopened.BlockId, out var block) || reopened.At - block.DetectedAt < warmup.RestartAfterCooldown)
        {
            return;
        }

        await GrainFactory.GetGrain<ISendingIpGrain>(sourceIp).StartWarmup(0, SiteId, $"cooldown:{reopened.BlockId}");
        LogWarmupRestarted(logger, SiteId, sourceIp, reopened.BlockId, reopened.At - block.DetectedAt);
    }

    private async Task<TimeSpan> CooldownFor(string tenantId, int failedProbes)
    {
        var settings = await GrainFactory.GetGrain<ITenantGrain>(tenantId).GetSendingSettings();
        return _judge.Rule.CooldownAfter(settings.Cooldown, failedProbes);
    }

    private void RememberDead(string sourceIp, JudgedReply reply)
    {
        if (!_dead.TryGetValue(sourceIp, out var list))
        {
            _dead[sourceIp] = list = [];
        }

        list.Add(reply);
        if (list.Count > ReclaimKept)
        {
            list.RemoveRange(0, list.Count - ReclaimKept);
        }
    }

    /// <summary>The readers told dead on this lane since the block's estimated start (and within the reclaim window).</summary>
    private List<JudgedReply> TakeDead(string sourceIp, DateTimeOffset since)
    {
        if (!_dead.TryGetValue(sourceIp, out var list))
        {
            return [];
        }

        var from = since > Time.GetUtcNow() - ReclaimWindow ? since : Time.GetUtcNow() - ReclaimWindow;
        var taken = list.Where(r => r.At >= from).ToList();
        list.RemoveAll(r => r.At >= from);
        return taken;
    }

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "Site {Site}: lane {SourceIp} blocked ({Kind}) as {BlockId}: {Rule}; cooling down until {Until}")]
    private static partial void LogBlocked(ILogger logger, string site, string sourceIp, string blockId, string kind, string rule, DateTimeOffset until);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Information, Message = "Site {Site}: lane {SourceIp} probing after {BlockId} ({By})")]
    private static partial void LogProbing(ILogger logger, string site, string sourceIp, string blockId, string by);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Warning, Message = "Site {Site}: a probe to {Recipient} met block {BlockId} again; cooling down until {Until}")]
    private static partial void LogProbeFailed(ILogger logger, string site, string recipient, string blockId, DateTimeOffset until);

    [LoggerMessage(EventId = 5304, Level = LogLevel.Information, Message = "Site {Site}: block {BlockId} ended after {Probes} probes went through; the lane is open")]
    private static partial void LogReopened(ILogger logger, string site, string blockId, int probes);

    [LoggerMessage(EventId = 5306, Level = LogLevel.Information, Message = "Site {Site}: lane {SourceIp} reopened after {BlockId} kept it away {Away}; its warm-up toward the site starts again at day 0")]
    private static partial void LogWarmupRestarted(ILogger logger, string site, string sourceIp, string blockId, TimeSpan away);

    [LoggerMessage(EventId = 5305, Level = LogLevel.Information, Message = "Site {Site}: block {BlockId} of {SourceIp}: {Count} readers restored by {By}")]
    private static partial void LogRestored(ILogger logger, string site, string sourceIp, string blockId, int count, string by);
}
