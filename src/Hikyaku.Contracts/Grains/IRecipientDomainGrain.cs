using Hikyaku.Contracts.Model;

namespace Hikyaku.Contracts.Grains;

/// <summary>
/// A provider site (recipient domains rolled up by their MX: <c>microsoft</c>, <c>google</c>, <c>docomo</c>, ...): the block
/// detector and the state of every lane (sending IP) toward it. Lanes ask it before they send and have it judge every
/// batch; it never sends anything itself. Block state is event-sourced: restarts and failovers keep every block and
/// cooldown. Key: the site id.
/// </summary>
[Alias("hikyaku.IRecipientDomainGrain")]
public interface IRecipientDomainGrain : IGrainWithStringKey
{
    /// <summary>What the lane from <paramref name="sourceIp"/> may do now (a cooldown that has ended turns into probing).</summary>
    [Alias("Gate")]
    Task<LaneGate> Gate(string sourceIp);

    /// <summary>The gates of several lanes at once, for rotation (IPs never seen are open).</summary>
    [Alias("Gates")]
    Task<IReadOnlyList<LaneGate>> Gates(IReadOnlyList<string> sourceIps);

    /// <summary>
    /// Judges one batch of <paramref name="tenantId"/>'s lane from <paramref name="sourceIp"/>: a verdict per reply, in order,
    /// decided before any reader records anything. May block the lane (an event with its evidence).
    /// </summary>
    [Alias("Judge")]
    Task<LaneJudgement> Judge(string tenantId, string sourceIp, double ratePerMinute, IReadOnlyList<JudgedReply> replies);

    /// <summary>
    /// A probing lane's test message to the tenant's seed address was answered: judged as a probe (taken: it counts toward
    /// reopening; refused: the cooldown starts again, longer). Recorded on the block either way; answers the lane's gate.
    /// </summary>
    [Alias("SeedProbed")]
    Task<LaneGate> SeedProbed(string sourceIp, string blockId, SeedProbeReport report);

    /// <summary>Readers a blocked lane holds without an attempt (no clean lane to send them from): the block names them.</summary>
    [Alias("NoteHeld")]
    Task NoteHeld(string blockId, IReadOnlyList<string> readers);

    /// <summary>
    /// The DNS block lists this site is known to use list <paramref name="sourceIp"/> (<paramref name="listed"/>), or no
    /// longer do (empty): the lane is blocked (kind <c>dnsbl</c>) while listed, and probes once delisted.
    /// </summary>
    [Alias("DnsblChanged")]
    Task DnsblChanged(string tenantId, string sourceIp, IReadOnlyList<DnsblListing> listed);

    /// <summary>One block of this site, or null.</summary>
    [Alias("GetBlock")]
    Task<BlockView?> GetBlock(string blockId);

    /// <summary>The readers (<c>{tenant}/{magazine}/{email}</c>) a block held or took back from an error stop, of one tenant.</summary>
    [Alias("BlockReaders")]
    Task<IReadOnlyList<string>> BlockReaders(string blockId, string tenantId);

    /// <summary>This site's blocks of <paramref name="tenantId"/>'s IPs (every tenant's when null), newest first.</summary>
    [Alias("ListBlocks")]
    Task<IReadOnlyList<BlockView>> ListBlocks(string? tenantId);

    /// <summary>An operator ends the cooldown now: the lane probes at once.</summary>
    [Alias("Lift")]
    Task<Outcome<BlockView>> Lift(string blockId, string by);

    /// <summary>An operator makes the cooldown last until <paramref name="until"/>.</summary>
    [Alias("Extend")]
    Task<Outcome<BlockView>> Extend(string blockId, DateTimeOffset until, string by);

    /// <summary>Incident undo: every reader the block held or error-stopped is made active again; answers who was.</summary>
    /// <summary>The silo this site's grain is active on (diagnostics: which silo to kill in a failover drill).</summary>
    [Alias("GetSilo")]
    Task<string> GetSilo();

    [Alias("Restore")]
    /// <param name="tenantId">Only this tenant's readers (a lane shared by tenants, like the sandbox's default address, holds
    /// several tenants' readers); null for the admin: all of them.</param>
    Task<Outcome<IReadOnlyList<string>>> Restore(string blockId, string? tenantId, string by);
}
