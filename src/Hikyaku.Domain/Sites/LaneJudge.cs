using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Delivery;

namespace Hikyaku.Domain.Sites;

/// <summary>The numbers a site's block detector decides with (the probe's pace comes from the configuration's <c>Blocks</c> section).</summary>
public sealed record BlockRule
{
    /// <summary>Sender-blocked replies within <see cref="ExplicitWindow"/> that block a lane. 1: providers mean what they say.</summary>
    public int ExplicitHits { get; init; } = 1;

    public TimeSpan ExplicitWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The lane's recent provider replies the disguised-block test looks at (count and age).</summary>
    public int Window { get; init; } = 20;

    public TimeSpan WindowAge { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Provider replies the site's lanes must have seen between them (in their windows) before odds alone block a lane: on a
    /// first send nothing tells a list's dead addresses from a block yet, and a reader accepted from another lane decides it.
    /// </summary>
    public int MinSample { get; init; } = 20;

    /// <summary>Unknown-user replies in a row a disguised block needs at least, whatever the odds.</summary>
    public int MinUnknown { get; init; } = 3;

    /// <summary>
    /// The chance, at the site's baseline, of seeing that many unknown-user replies, below which the lane is blocked. One in
    /// a million: a clean lane with 10% dead addresses sends about 400,000 messages between false blocks.
    /// </summary>
    public double BlockP { get; init; } = 1e-6;

    /// <summary>Below this chance the lane is suspect: its unknown-user replies are checked from another IP before anyone is stopped.</summary>
    public double SuspectP { get; init; } = 1e-2;

    /// <summary>The lowest baseline the test assumes (a site with almost no dead addresses would otherwise block on two).</summary>
    public double BaselineFloor { get; init; } = 0.01;

    /// <summary>An unknown-user reply for an address that accepted mail before blocks the lane: mailboxes rarely vanish between two issues.</summary>
    public bool UnknownAfterDeliveredBlocks { get; init; } = true;

    /// <summary>Whether an unknown-user reply after DATA is a filter (the Japanese carriers answer a blocked sender that way), never a dead address.</summary>
    public bool UnknownAfterDataIsFilter { get; init; }

    /// <summary>Probes the provider must take before a probing lane opens again.</summary>
    public int ProbeMessages { get; init; } = 3;

    /// <summary>Time between probes.</summary>
    public TimeSpan ProbeSpacing { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Each failed probe multiplies the cooldown by this, up to <see cref="MaxCooldown"/>.</summary>
    public double FailedProbeMultiplier { get; init; } = 2;

    public TimeSpan MaxCooldown { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The embedded rule of <paramref name="siteId"/> (<see cref="BlockRules"/>).</summary>
    public static BlockRule For(string siteId) => BlockRules.Default.For(siteId);

    /// <summary>
    /// Whether <paramref name="reply"/> is a refusal after DATA that this site's stage rule calls the recipient's filter (the
    /// Japanese carriers answer a blocked sender that way too): never a dead address, but a run of them on one IP is evidence.
    /// </summary>
    public bool IsFilterAfterData(ReplyRecord reply) =>
        UnknownAfterDataIsFilter && reply.FromProvider && reply.Stage == ReplyStage.Data
        && (ReplyRecords.IsUnknownUser(reply) || reply.Reason == FilteredReason);

    /// <summary>
    /// Whether <paramref name="reply"/> is the provider refusing what a block refuses: the sender named as blocked, an
    /// unknown-user reply, or this site's filter refusal after DATA.
    /// </summary>
    public bool IsRefusal(ReplyRecord reply) =>
        reply.FromProvider && (reply.Action == ReplyAction.SenderBlocked || ReplyRecords.IsUnknownUser(reply) || IsFilterAfterData(reply));

    /// <summary>The classifier's reason for a recipient's filter.</summary>
    public const string FilteredReason = "filtered";

    public TimeSpan CooldownAfter(TimeSpan cooldown, int failedProbes)
    {
        var factor = Math.Pow(FailedProbeMultiplier, Math.Max(0, failedProbes));
        var ticks = Math.Min(cooldown.Ticks * factor, MaxCooldown.Ticks);
        return TimeSpan.FromTicks((long)Math.Max(cooldown.Ticks, ticks));
    }
}

/// <summary>Reasons the judge gives beyond the classifier's.</summary>
public static class LaneJudgeReasons
{
    /// <summary>An unknown-user reply on a suspect lane: retried from another IP before the address is judged.</summary>
    public const string Suspect = "suspect";
}

/// <summary>What the judge made of one reply.</summary>
/// <param name="Suspect">An unknown-user reply on a suspect lane: not a verdict on the address yet; retried from another IP.</param>
public sealed record JudgedVerdict(VerdictKind Kind, string? Reason, bool Suspect = false);

/// <summary>A block the judge decided on, with the evidence and figures that decided it.</summary>
public sealed record LaneBlockDecision(string Kind, DateTimeOffset Since, IReadOnlyList<BlockEvidence> Evidence, BlockFigures Figures);

/// <summary>The judgement of one batch.</summary>
/// <param name="Confirmed">Addresses another lane had called unknown (or refused) that this lane delivered: each is a disguised
/// block of that other lane (by its sending IP).</param>
public sealed record LaneAssessment(IReadOnlyList<JudgedVerdict> Verdicts, LaneBlockDecision? Block, bool RateLimited, IReadOnlyList<(string SourceIp, LaneBlockDecision Block)> Confirmed);

/// <summary>One reply as the judge sees it.</summary>
/// <param name="RecheckOf">The send checks an unknown-user or block reply of this other sending IP.</param>
public sealed record LaneReply(DateTimeOffset At, string Recipient, ReplyRecord Reply, bool DeliveredBefore, bool LastAttempt, string? RecheckOf = null, string? Transcript = null);

/// <summary>
/// The site's share of unknown-user replies on clean lanes, decayed over time (half-life six hours) from a prior of 3% weighted
/// as 100 replies, so a new site is not judged on nothing.
/// </summary>
public sealed class SiteBaseline
{
    private const double Prior = 0.03;
    private const double PriorWeight = 100;
    private static readonly TimeSpan HalfLife = TimeSpan.FromHours(6);
    private double _unknown;
    private double _total;
    private DateTimeOffset _at;

    public double Rate => (_unknown + Prior * PriorWeight) / (_total + PriorWeight);

    public void Observe(int unknown, int total, DateTimeOffset now)
    {
        if (_at != default && now > _at)
        {
            var decay = Math.Pow(0.5, (now - _at) / HalfLife);
            _unknown *= decay;
            _total *= decay;
        }

        _at = now;
        _unknown += unknown;
        _total += total;
    }
}

/// <summary>One lane's recent provider replies: what the disguised-block test counts.</summary>
public sealed class LaneStats(string sourceIp = "")
{
    public string SourceIp { get; } = sourceIp;

    private readonly Queue<(DateTimeOffset At, bool Unknown)> _window = new();
    private readonly Queue<BlockEvidence> _run = new();
    private readonly Queue<BlockEvidence> _hits = new();

    /// <summary>Unknown-user replies since the lane's last accepted message.</summary>
    public int Run { get; private set; }

    internal void Accepted(DateTimeOffset at, BlockRule rule)
    {
        Push(at, unknown: false, rule);
        Run = 0;
        _run.Clear();
    }

    internal void Unknown(BlockEvidence evidence, BlockRule rule)
    {
        Push(evidence.At, unknown: true, rule);
        Run++;
        _run.Enqueue(evidence);
        while (_run.Count > 20) _run.Dequeue();
    }

    internal int Hit(BlockEvidence evidence, BlockRule rule)
    {
        _hits.Enqueue(evidence);
        while (_hits.Count > 0 && (_hits.Peek().At < evidence.At - rule.ExplicitWindow || _hits.Count > 20)) _hits.Dequeue();
        return _hits.Count;
    }

    /// <summary>Provider replies in the lane's window, and the unknown-user replies among them.</summary>
    public (int Window, int Unknown) Counts => (_window.Count, _window.Count(w => w.Unknown));

    internal IReadOnlyList<BlockEvidence> RunEvidence => _run.ToList();

    internal IReadOnlyList<BlockEvidence> Hits => _hits.ToList();

    /// <summary>Forgets the lane's history (after a block: the next judgement starts clean).</summary>
    internal void Reset()
    {
        _window.Clear();
        _run.Clear();
        _hits.Clear();
        Run = 0;
    }

    private void Push(DateTimeOffset at, bool unknown, BlockRule rule)
    {
        _window.Enqueue((at, unknown));
        while (_window.Count > rule.Window || (_window.Count > 0 && _window.Peek().At < at - rule.WindowAge)) _window.Dequeue();
    }
}

/// <summary>
/// The block detector of one site, as pure decisions over a lane's recent replies and the site's baseline: a reply the provider
/// sends to refuse the sender blocks the lane; unknown-user replies far above the baseline (a statistical test with a minimum
/// sample), or one for an address that accepted mail before, block it too — and while a lane is suspect or blocked, its
/// unknown-user replies hold readers instead of error-stopping them. Only the provider's replies are evidence.
/// </summary>
public static class LaneJudge
{
    /// <param name="siblings">The replies in the windows of the site's other lanes that are not in a run of unknown-user replies
    /// themselves: a list with many dead addresses at this provider shows on every lane, a block on one.</param>
    public static LaneAssessment Assess(BlockRule rule, string laneState, LaneStats lane, SiteBaseline baseline, IReadOnlyList<LaneReply> replies, (int Window, int Unknown) siblings = default)
    {
        var verdicts = new JudgedVerdict[replies.Count];
        var confirmed = new List<(string, LaneBlockDecision)>();
        LaneBlockDecision? block = null;
        var rateLimited = false;
        var open = laneState is LaneStates.Open or LaneStates.Throttled;
        int cleanUnknown = 0, cleanTotal = 0;
        for (var i = 0; i < replies.Count; i++)
        {
            var r = replies[i];
            var reply = ReplyRecords.Classified(r.Reply);
            var plain = DeliveryDecision.Decide(reply, r.LastAttempt);
            if (!reply.FromProvider)
            {
                verdicts[i] = new(plain.Kind, plain.Reason);
                continue;
            }

            if (reply.Action == ReplyAction.RateLimited)
            {
                rateLimited = true;
            }

            // The carriers' stage rule: an "unknown" after DATA is the reader's filter, never a dead address. One says nothing
            // about the IP; a run of them on one IP far above the site's baseline is the carrier refusing that IP in disguise.
            var filter = rule.IsFilterAfterData(reply);
            var unknown = filter || ReplyRecords.IsUnknownUser(reply);
            var notDead = filter ? new JudgedVerdict(VerdictKind.Bounced, BlockRule.FilteredReason) : null;

            var blocking = unknown || reply.Action == ReplyAction.SenderBlocked;
            if (!open || block is not null)
            {
                verdicts[i] = blocking ? new(VerdictKind.Hold, reply.Reason) : new(plain.Kind, plain.Reason);
                continue;
            }

            var evidence = new BlockEvidence(r.At, r.Recipient, reply, BlockEvidence.Keep(r.Transcript));
            if (r.RecheckOf is { } origin && origin != lane.SourceIp && unknown)
            {
                // Unknown from this clean lane too: the address is dead. Not evidence about this lane: the other one sent it here
                // because it was unknown there, so a run of them says nothing about this IP.
                verdicts[i] = notDead ?? new(VerdictKind.Dead, plain.Reason);
                continue;
            }

            if (filter && r.RecheckOf == lane.SourceIp)
            {
                // Refused here before and no other clean IP took it: the reader's filter. Counted once already.
                verdicts[i] = notDead!;
                continue;
            }

            if (reply.Action == ReplyAction.Accepted)
            {
                lane.Accepted(r.At, rule);
                cleanTotal++;
                verdicts[i] = new(VerdictKind.Delivered, plain.Reason);
                if (r.RecheckOf is { } refusedBy && refusedBy != lane.SourceIp)
                {
                    // Unknown (or refused) from one IP, accepted from another: the provider refuses the IP, not the address.
                    confirmed.Add((refusedBy, new LaneBlockDecision("disguised", r.At, [evidence], new BlockFigures(1, 0, baseline.Rate, 0, 1,
                        $"{r.Recipient} was refused from {refusedBy} and accepted from {lane.SourceIp}"))));
                }
            }
            else if (reply.Action == ReplyAction.SenderBlocked)
            {
                var hits = lane.Hit(evidence, rule);
                if (hits >= rule.ExplicitHits)
                {
                    var evidences = lane.Hits;
                    block = new("explicit", evidences[0].At, evidences, new BlockFigures(hits, 0, baseline.Rate, 0, rule.ExplicitHits,
                        $"{rule.ExplicitHits} sender-blocked repl{(rule.ExplicitHits == 1 ? "y" : "ies")} within {rule.ExplicitWindow.TotalMinutes:0} min"));
                    verdicts[i] = new(VerdictKind.Hold, reply.Reason);
                }
                else
                {
                    verdicts[i] = new(VerdictKind.Retry, reply.Reason);
                }
            }
            else if (unknown)
            {
                lane.Unknown(evidence, rule);
                var (n, k) = lane.Counts;
                var p0 = Math.Max(rule.BaselineFloor, Math.Max(baseline.Rate, SiblingRate(siblings, baseline.Rate)));
                var runP = Math.Pow(p0, lane.Run);
                var tailP = BinomialTail(n, k, p0);
                var p = Math.Min(runP, tailP);
                if (r.DeliveredBefore && rule.UnknownAfterDeliveredBlocks && !filter)
                {
                    block = new("disguised", lane.RunEvidence[0].At, lane.RunEvidence, new BlockFigures(n, k, p0, p, 1,
                        $"{r.Recipient} accepted mail before and is now unknown"));
                }
                else if (p < rule.BlockP && lane.Run >= rule.MinUnknown && n + siblings.Window >= rule.MinSample)
                {
                    block = new("disguised", lane.RunEvidence[0].At, lane.RunEvidence, new BlockFigures(n, k, p0, p, rule.BlockP,
                        $"{lane.Run} {(filter ? "filter refusals after DATA" : "unknown-user replies")} in a row, {k} of the last {n}: chance {p:0.#e0} at the site's baseline {p0:P1}, below {rule.BlockP:0.#e0}"));
                }

                if (block is not null)
                {
                    verdicts[i] = new(VerdictKind.Hold, reply.Reason);
                }
                else if (p < rule.SuspectP)
                {
                    verdicts[i] = new(VerdictKind.Retry, reply.Reason, Suspect: true);
                }
                else
                {
                    cleanUnknown++;
                    cleanTotal++;
                    // A carrier's filter refusal is checked once from another IP before it is final: a reader's own filter refuses
                    // every IP, a carrier blocking this one does not (and the reader who is accepted there shows the block).
                    verdicts[i] = notDead is null ? new(VerdictKind.Dead, reply.Reason) : new(VerdictKind.Retry, reply.Reason, Suspect: true);
                }
            }
            else
            {
                verdicts[i] = new(plain.Kind, plain.Reason);
            }
        }

        if (block is not null)
        {
            // The run that decided it: every reply of it in this batch holds its reader (checked from a clean IP later).
            for (var i = 0; i < replies.Count; i++)
            {
                var reply = ReplyRecords.Classified(replies[i].Reply);
                if (rule.IsRefusal(reply)
                    && (verdicts[i].Kind is VerdictKind.Dead or VerdictKind.Retry || (verdicts[i].Kind == VerdictKind.Bounced && rule.IsFilterAfterData(reply))))
                {
                    verdicts[i] = new(VerdictKind.Hold, verdicts[i].Reason);
                }
            }

            lane.Reset();
        }
        else if (cleanTotal > 0)
        {
            baseline.Observe(cleanUnknown, cleanTotal, replies[^1].At);
        }

        return new LaneAssessment(verdicts, block, rateLimited, confirmed);
    }

    /// <summary>
    /// What the other lanes say the share of unknown-user replies may be: their share, drawn toward the baseline as if ten more
    /// replies had it, plus its uncertainty (one-sided 95%), so a few replies on the other lanes do not make this one look odd.
    /// </summary>
    public static double SiblingRate((int Window, int Unknown) siblings, double baseline)
    {
        if (siblings.Window == 0)
        {
            return 0;
        }

        var n = siblings.Window + SiblingPriorWeight;
        var p = (siblings.Unknown + baseline * SiblingPriorWeight) / n;
        return Math.Min(1, p + 1.645 * Math.Sqrt(p * (1 - p) / n));
    }

    private const double SiblingPriorWeight = 10;

    /// <summary>P(X ≥ k) for X ~ Binomial(n, p), summed in log space.</summary>
    public static double BinomialTail(int n, int k, double p)
    {
        if (k <= 0) return 1;
        if (k > n) return 0;
        double total = 0;
        for (var x = k; x <= n; x++)
        {
            total += Math.Exp(LogChoose(n, x) + x * Math.Log(p) + (n - x) * Math.Log(1 - p));
        }

        return Math.Min(1, total);
    }

    private static double LogChoose(int n, int k)
    {
        double r = 0;
        for (var i = 1; i <= k; i++)
        {
            r += Math.Log(n - k + i) - Math.Log(i);
        }

        return r;
    }
}

/// <summary>
/// The in-memory half of a site's block detector: each lane's recent replies and the site's baseline, judged by
/// <see cref="LaneJudge"/>. Statistics, not records: a restart begins them again from traffic; what they decide becomes an
/// event of the site.
/// </summary>
public sealed class SiteDetector(string siteId, BlockRule? rule = null)
{
    private readonly Dictionary<string, LaneStats> _lanes = new(StringComparer.Ordinal);

    public BlockRule Rule { get; } = rule ?? BlockRule.For(siteId);

    public SiteBaseline Baseline { get; } = new();

    public LaneAssessment Assess(string sourceIp, string laneState, IReadOnlyList<LaneReply> replies)
    {
        if (!_lanes.TryGetValue(sourceIp, out var lane))
        {
            _lanes[sourceIp] = lane = new LaneStats(sourceIp);
        }

        (int Window, int Unknown) siblings = default;
        foreach (var (ip, other) in _lanes)
        {
            if (ip != sourceIp && other.Run < Rule.MinUnknown)
            {
                var (n, k) = other.Counts;
                siblings = (siblings.Window + n, siblings.Unknown + k);
            }
        }

        return LaneJudge.Assess(Rule, laneState, lane, Baseline, replies, siblings);
    }
}
