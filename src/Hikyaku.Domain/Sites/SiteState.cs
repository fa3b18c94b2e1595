using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Domain.Sites;

/// <summary>
/// A provider site's lanes and blocks, folded from its stream: which lane is blocked or probing until when, and each
/// block with its evidence and the readers it touched. The lanes' recent replies and the site's baseline are not here:
/// they are statistics the grain keeps in memory and rebuilds from traffic; a decision made from them is an event.
/// </summary>
[GenerateSerializer]
public sealed class SiteState : IEventSourcedState<SiteEvent>
{
    /// <summary>Lanes that are or were blocked, by sending IP (a lane never blocked is open).</summary>
    [Id(0)] public Dictionary<string, LaneRecord> Lanes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every block of the site, by id.</summary>
    [Id(1)] public Dictionary<string, BlockRecord> Blocks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How many blocks the site has had: the next block's number.</summary>
    [Id(2)] public int BlockCount { get; set; }

    public LaneRecord LaneOf(string ip) => Lanes.TryGetValue(ip, out var lane) ? lane : new LaneRecord { State = LaneStates.Open };

    public void Apply(SiteEvent @event)
    {
        switch (@event)
        {
            case LaneBlocked e:
                BlockCount++;
                Blocks[e.BlockId] = new BlockRecord
                {
                    Id = e.BlockId, SourceIp = e.SourceIp, TenantId = e.TenantId, Kind = e.Kind, State = BlockStates.Active, Since = e.Since,
                    DetectedAt = e.At, Until = e.Until, Evidence = [.. e.Evidence], Figures = e.Figures,
                };
                Lanes[e.SourceIp] = new LaneRecord { State = LaneStates.Blocked, BlockId = e.BlockId, Until = e.Until, RateBefore = e.RateBefore ?? LaneOf(e.SourceIp).RateBefore, FailedProbes = 0 };
                break;
            case BlockReadersTouched e when Blocks.TryGetValue(e.BlockId, out var block):
                foreach (var r in e.Held)
                {
                    if (!block.Held.Contains(r)) block.Held.Add(r);
                }

                foreach (var r in e.ErrorStoppedThenHeld)
                {
                    if (!block.ErrorStoppedThenHeld.Contains(r)) block.ErrorStoppedThenHeld.Add(r);
                }

                break;
            case LaneProbing e when Blocks.TryGetValue(e.BlockId, out var block):
                block.State = e.By == "cooldown" ? BlockStates.Probing : BlockStates.Lifted;
                block.Until = e.At < block.Until ? e.At : block.Until;
                if (Lanes.TryGetValue(block.SourceIp, out var probing) && probing.BlockId == e.BlockId)
                {
                    probing.State = LaneStates.Probing;
                    probing.ProbesDelivered = 0;
                    probing.LastProbeAt = null;
                    probing.SeedPassed = false;
                }

                break;
            case LaneSeedProbed e when Blocks.TryGetValue(e.BlockId, out var block):
                block.SeedProbes.Add(new SeedProbeView(e.At, e.Seed, e.Reply, e.Outcome));
                if (block.SeedProbes.Count > BlockRecord.SeedProbesKept)
                {
                    block.SeedProbes.RemoveAt(0);
                }

                if (e.Outcome == SeedProbes.PassedOutcome && Lanes.TryGetValue(block.SourceIp, out var seeded) && seeded.BlockId == e.BlockId
                    && seeded.State == LaneStates.Probing)
                {
                    seeded.ProbesDelivered++;
                    seeded.SeedPassed = true;
                }

                break;
            case LaneProbeFailed e when Blocks.TryGetValue(e.BlockId, out var block):
                block.State = BlockStates.Active;
                block.Until = e.Until;
                block.Evidence.Add(e.Evidence);
                if (Lanes.TryGetValue(block.SourceIp, out var failed) && failed.BlockId == e.BlockId)
                {
                    failed.State = LaneStates.Blocked;
                    failed.Until = e.Until;
                    failed.FailedProbes++;
                }

                break;
            case LaneReopened e when Blocks.TryGetValue(e.BlockId, out var block):
                block.State = BlockStates.Ended;
                block.EndedAt = e.At;
                if (Lanes.TryGetValue(block.SourceIp, out var reopened) && reopened.BlockId == e.BlockId)
                {
                    reopened.State = LaneStates.Open;
                    reopened.Until = null;
                }

                break;
            case BlockExtended e when Blocks.TryGetValue(e.BlockId, out var block):
                block.Until = e.Until;
                block.State = BlockStates.Active;
                if (Lanes.TryGetValue(block.SourceIp, out var extended) && extended.BlockId == e.BlockId)
                {
                    extended.State = LaneStates.Blocked;
                    extended.Until = e.Until;
                }

                break;
            case BlockReadersRestored e when Blocks.TryGetValue(e.BlockId, out var block):
                foreach (var r in e.Readers)
                {
                    if (!block.Restored.Contains(r)) block.Restored.Add(r);
                }

                break;
        }
    }
}

/// <summary>Where a block stands.</summary>
public static class BlockStates
{
    public const string Active = "active";
    public const string Probing = "probing";
    public const string Lifted = "lifted";
    public const string Ended = "ended";
}

/// <summary>One lane's block state.</summary>
[GenerateSerializer]
public sealed class LaneRecord
{
    [Id(0)] public string State { get; set; } = LaneStates.Open;

    [Id(1)] public string? BlockId { get; set; }

    /// <summary>When the cooldown ends (blocked lanes).</summary>
    [Id(2)] public DateTimeOffset? Until { get; set; }

    /// <summary>The lane's rate before its block: the ceiling it ramps back to.</summary>
    [Id(3)] public double? RateBefore { get; set; }

    /// <summary>Probes the provider took since probing began.</summary>
    [Id(4)] public int ProbesDelivered { get; set; }

    [Id(5)] public int FailedProbes { get; set; }

    /// <summary>When the last probe batch was let through (in memory only: probing restarts its pacing after a restart).</summary>
    [Id(6)] public DateTimeOffset? LastProbeAt { get; set; }

    /// <summary>A probe to the tenant's seed address went through since probing began: readers may be probed too.</summary>
    [Id(7)] public bool SeedPassed { get; set; }
}

/// <summary>One block as the site keeps it.</summary>
[GenerateSerializer]
public sealed class BlockRecord
{
    [Id(0)] public string Id { get; set; } = string.Empty;

    [Id(1)] public string SourceIp { get; set; } = string.Empty;

    [Id(2)] public string TenantId { get; set; } = string.Empty;

    [Id(3)] public string Kind { get; set; } = string.Empty;

    [Id(4)] public string State { get; set; } = BlockStates.Active;

    [Id(5)] public DateTimeOffset Since { get; set; }

    [Id(6)] public DateTimeOffset DetectedAt { get; set; }

    [Id(7)] public DateTimeOffset? Until { get; set; }

    [Id(8)] public DateTimeOffset? EndedAt { get; set; }

    [Id(9)] public List<BlockEvidence> Evidence { get; set; } = [];

    [Id(10)] public BlockFigures? Figures { get; set; }

    [Id(11)] public List<string> Held { get; set; } = [];

    [Id(12)] public List<string> ErrorStoppedThenHeld { get; set; } = [];

    [Id(13)] public List<string> Restored { get; set; } = [];

    /// <summary>The probes the lane sent to the tenant's seed address, newest last, at most <see cref="SeedProbesKept"/>.</summary>
    [Id(14)] public List<SeedProbeView> SeedProbes { get; set; } = [];

    public const int SeedProbesKept = 20;

    public BlockView ToView(string siteId) => new(
        Id, siteId, SourceIp, TenantId, Kind, State, Since, DetectedAt, Until, EndedAt, Evidence.ToList(), Figures, Held.ToList(), ErrorStoppedThenHeld.ToList(), Restored.ToList(),
        SeedProbes.ToList());
}
