using Hikyaku.Contracts.Model;

namespace Hikyaku.Contracts.Events;

/// <summary>Events on a provider site's stream (<c>site:{siteId}</c>): its lanes' blocks, probes and releases, each with its evidence.</summary>
[GenerateSerializer]
public abstract record SiteEvent(Guid EventId, DateTimeOffset At) : IDomainEvent;

/// <summary>The site blocked a lane: the provider refuses the sending IP, explicitly or in disguise.</summary>
/// <param name="Since">The block's estimated start.</param>
/// <param name="Until">When the cooldown ends and the lane probes.</param>
/// <param name="RateBefore">The lane's rate before the block (messages a minute): the ceiling it ramps back to.</param>
[GenerateSerializer]
public sealed record LaneBlocked(
    Guid EventId,
    DateTimeOffset At,
    string BlockId,
    string SourceIp,
    string TenantId,
    string Kind,
    DateTimeOffset Since,
    DateTimeOffset Until,
    IReadOnlyList<BlockEvidence> Evidence,
    BlockFigures? Figures,
    double? RateBefore) : SiteEvent(EventId, At);

/// <summary>Readers a block touched: held by it, or error-stopped by the lane before it was seen and now held.</summary>
[GenerateSerializer]
public sealed record BlockReadersTouched(
    Guid EventId,
    DateTimeOffset At,
    string BlockId,
    IReadOnlyList<string> Held,
    IReadOnlyList<string> ErrorStoppedThenHeld) : SiteEvent(EventId, At);

/// <summary>The cooldown ended (<c>by</c> is <c>cooldown</c>) or an operator lifted the block: the lane probes.</summary>
[GenerateSerializer]
public sealed record LaneProbing(Guid EventId, DateTimeOffset At, string BlockId, string By) : SiteEvent(EventId, At);

/// <summary>A probe met the block again: the cooldown starts over, longer.</summary>
[GenerateSerializer]
public sealed record LaneProbeFailed(Guid EventId, DateTimeOffset At, string BlockId, DateTimeOffset Until, BlockEvidence Evidence) : SiteEvent(EventId, At);

/// <summary>Probes went through: the lane is open again, its rate ramping back to its ceiling.</summary>
[GenerateSerializer]
public sealed record LaneReopened(Guid EventId, DateTimeOffset At, string BlockId, int ProbesDelivered) : SiteEvent(EventId, At);

/// <summary>An operator made the cooldown last longer.</summary>
[GenerateSerializer]
public sealed record BlockExtended(Guid EventId, DateTimeOffset At, string BlockId, DateTimeOffset Until, string By) : SiteEvent(EventId, At);

/// <summary>Incident undo: readers the block touched were made active again.</summary>
[GenerateSerializer]
public sealed record BlockReadersRestored(Guid EventId, DateTimeOffset At, string BlockId, IReadOnlyList<string> Readers, string By) : SiteEvent(EventId, At);

/// <summary>
/// A probing lane sent its probe to the tenant's seed address (its own mailbox at the provider) and the provider answered
/// <paramref name="Reply"/>. <paramref name="Outcome"/> is <c>passed</c> (taken: counts as a probe that went through),
/// <c>refused</c> (the block is still there: a <see cref="LaneProbeFailed"/> follows) or <c>inconclusive</c> (a passing
/// problem: the next probe tries again).
/// </summary>
[GenerateSerializer]
public sealed record LaneSeedProbed(Guid EventId, DateTimeOffset At, string BlockId, string Seed, ReplyRecord Reply, string Outcome) : SiteEvent(EventId, At);
