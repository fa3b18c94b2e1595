using Hikyaku.Contracts.Events;

namespace Hikyaku.Contracts.Model;

/// <summary>The state of a lane (provider site × sending IP), as the site's block detector keeps it.</summary>
public static class LaneStates
{
    public const string Open = "open";

    /// <summary>Open, below its ceiling because the provider asked to slow down.</summary>
    public const string Throttled = "throttled";

    /// <summary>Cooling down after a block: sends nothing.</summary>
    public const string Blocked = "blocked";

    /// <summary>The cooldown is over: a few messages, slowly, to see whether the block is gone.</summary>
    public const string Probing = "probing";
}

/// <summary>What a lane may do now, as its site says: asked before every batch, and for rotation.</summary>
/// <param name="ProbeBudget">While probing: how many messages may go now (0 while the last probe is unanswered or too recent).</param>
/// <param name="Seed">While probing, when the block's tenant has a seed address at this provider: where the probes go first.</param>
[GenerateSerializer, Immutable, Alias("hikyaku.lane-gate")]
public sealed record LaneGate(
    [property: Id(0)] string SourceIp,
    [property: Id(1)] string State,
    [property: Id(2)] DateTimeOffset? BlockedUntil,
    [property: Id(3)] string? BlockId,
    [property: Id(4)] int ProbeBudget,
    [property: Id(5)] double? RateCeilingPerMinute = null,
    [property: Id(6)] SeedProbeTarget? Seed = null)
{
    public static LaneGate Open(string sourceIp) => new(sourceIp, LaneStates.Open, null, null, 0);

    /// <summary>Open or throttled: ordinary traffic may go through it.</summary>
    public bool Clean => State is LaneStates.Open or LaneStates.Throttled;
}

/// <summary>One provider reply of a lane's batch as the site judges it.</summary>
/// <param name="Reader">The reader's grain key (<c>{tenant}/{magazine}/{email}</c>).</param>
/// <param name="DeliveredBefore">The reader's history has an accepted message.</param>
/// <param name="Item">The reader as the lane carries it (message, counters' slot): handed back when an error stop is taken back.</param>
/// <param name="Transcript">The SMTP dialogue of a refused attempt (none for an accepted one): a block's evidence keeps it.</param>
[GenerateSerializer, Immutable, Alias("hikyaku.judged-reply")]
public sealed record JudgedReply(
    [property: Id(0)] string Reader,
    [property: Id(1)] DeliveryItem Item,
    [property: Id(2)] ReplyRecord Reply,
    [property: Id(3)] bool DeliveredBefore,
    [property: Id(4)] bool LastAttempt,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] string? Transcript = null);

/// <summary>The site's judgement of a batch: a verdict per reply (in order), the lane's gate after it, and readers to take back.</summary>
/// <param name="Reclaimed">Readers error-stopped by a lane's replies since its block's estimated start (as judged then), by block:
/// they become held and are sent from a clean lane.</param>
[GenerateSerializer, Immutable, Alias("hikyaku.lane-judgement")]
public sealed record LaneJudgement(
    [property: Id(0)] IReadOnlyList<DeliveryVerdict> Verdicts,
    [property: Id(1)] LaneGate Gate,
    [property: Id(2)] IReadOnlyList<ReclaimedReaders> Reclaimed,
    [property: Id(3)] bool RateLimited);

/// <summary>Readers a block takes back: the lane (sending IP) told them they were dead before the block was seen.</summary>
[GenerateSerializer, Immutable, Alias("hikyaku.reclaimed-readers")]
public sealed record ReclaimedReaders(
    [property: Id(0)] string BlockId,
    [property: Id(1)] string SourceIp,
    [property: Id(2)] IReadOnlyList<JudgedReply> Readers);

/// <summary>One reply a block was decided on, with the SMTP dialogue that got it when there was one (at most
/// <see cref="MaxTranscript"/> characters) for the メールログ lines a delisting form asks for.</summary>
[GenerateSerializer, Immutable, Alias("hikyaku.block-evidence")]
public sealed record BlockEvidence(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Recipient,
    [property: Id(2)] ReplyRecord Reply,
    [property: Id(3)] string? Transcript = null)
{
    /// <summary>The longest transcript a block keeps per reply.</summary>
    public const int MaxTranscript = 4000;

    /// <summary><paramref name="transcript"/> cut to <see cref="MaxTranscript"/> characters (null when empty).</summary>
    public static string? Keep(string? transcript) =>
        string.IsNullOrEmpty(transcript) ? null : transcript.Length <= MaxTranscript ? transcript : transcript[..MaxTranscript] + "\n…";
}

/// <summary>The figures a block was decided with, so an operator sees why.</summary>
/// <param name="Window">Provider replies in the lane's window.</param>
/// <param name="Unknown">Unknown-user replies among them.</param>
/// <param name="Baseline">The site's share of unknown-user replies over clean lanes.</param>
/// <param name="PValue">The chance of that many unknown-user replies at the baseline (disguised blocks).</param>
/// <param name="Threshold">The p-value or hit count a block needs.</param>
/// <param name="Rule">The rule in words.</param>
[GenerateSerializer, Immutable, Alias("hikyaku.block-figures")]
public sealed record BlockFigures(
    [property: Id(0)] int Window,
    [property: Id(1)] int Unknown,
    [property: Id(2)] double Baseline,
    [property: Id(3)] double PValue,
    [property: Id(4)] double Threshold,
    [property: Id(5)] string Rule);

/// <summary>A block of one sending IP by one provider site: what decided it, where it stands, and whom it touched.</summary>
/// <param name="Kind"><c>explicit</c>, <c>disguised</c> or <c>dnsbl</c>.</param>
/// <param name="State"><c>active</c> (cooling down), <c>probing</c>, <c>lifted</c> (by an operator, then probing) or <c>ended</c>.</param>
/// <param name="Since">When the block is estimated to have begun (its first block reply).</param>
/// <param name="Held">Readers (grain keys) held by it.</param>
/// <param name="ErrorStoppedThenHeld">Readers error-stopped by the lane's replies before the block was seen, then held.</param>
[GenerateSerializer, Immutable, Alias("hikyaku.block-view")]
public sealed record BlockView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Provider,
    [property: Id(2)] string SourceIp,
    [property: Id(3)] string TenantId,
    [property: Id(4)] string Kind,
    [property: Id(5)] string State,
    [property: Id(6)] DateTimeOffset Since,
    [property: Id(7)] DateTimeOffset DetectedAt,
    [property: Id(8)] DateTimeOffset? Until,
    [property: Id(9)] DateTimeOffset? EndedAt,
    [property: Id(10)] IReadOnlyList<BlockEvidence> Evidence,
    [property: Id(11)] BlockFigures? Figures,
    [property: Id(12)] IReadOnlyList<string> Held,
    [property: Id(13)] IReadOnlyList<string> ErrorStoppedThenHeld,
    [property: Id(14)] IReadOnlyList<string> Restored,
    [property: Id(15)] IReadOnlyList<SeedProbeView>? SeedProbes = null);

/// <summary>Where a probing lane sends its probes first: the block's tenant's own mailbox at the provider.</summary>
/// <param name="TenantId">The tenant whose seed it is (the test message is composed as its test deliveries are).</param>
/// <param name="Passed">The provider has taken a probe to the seed since probing began: readers may be probed too.</param>
[GenerateSerializer, Immutable, Alias("hikyaku.seed-probe-target")]
public sealed record SeedProbeTarget(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string Address,
    [property: Id(2)] bool Passed);

/// <summary>What the provider answered a probing lane's test message to a seed address.</summary>
[GenerateSerializer, Immutable, Alias("hikyaku.seed-probe-report")]
public sealed record SeedProbeReport(
    [property: Id(0)] string Seed,
    [property: Id(1)] ReplyRecord Reply,
    [property: Id(2)] DateTimeOffset At);

/// <summary>One probe a block's lane sent to a seed address, and what it meant (<c>passed</c>, <c>refused</c>, <c>inconclusive</c>).</summary>
[GenerateSerializer, Immutable, Alias("hikyaku.seed-probe-view")]
public sealed record SeedProbeView(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Seed,
    [property: Id(2)] ReplyRecord Reply,
    [property: Id(3)] string Outcome);
