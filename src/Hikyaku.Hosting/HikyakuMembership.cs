using Orleans.Configuration;

namespace Hikyaku.Hosting;

/// <summary>
/// How fast the cluster declares a silo dead, so that the grains it held answer from another silo. Orleans' own
/// defaults (probe timeout 5 s, membership table read every 60 s) left the tenants of a SIGKILLed silo without an
/// answer for 12–20 s; with these, a killed silo is declared dead and its grains answer elsewhere 4–7 s after the kill.
/// </summary>
/// <remarks>
/// The price of quick detection is false suspicion: a silo that cannot answer probes for about three probe periods
/// (a long GC pause, CPU starvation on a crowded host, a frozen VM) is declared dead and stops itself, and its grains
/// move. Orleans damps that: a silo whose own health is degraded lengthens its probe timeouts
/// (<see cref="ClusterMembershipOptions.ExtendProbeTimeoutDuringDegradation"/>), recent traffic on a connection
/// counts as a sign of life (<see cref="ClusterMembershipOptions.EnableConnectionLivenessCheck"/>), the last probe
/// before a vote goes through another silo (<see cref="ClusterMembershipOptions.EnableIndirectProbes"/>), and with
/// three or more silos two must vote (<see cref="ClusterMembershipOptions.NumVotesForDeathDeclaration"/>; Orleans
/// asks for at most a majority of the active silos, so one vote suffices in a cluster of two).
/// </remarks>
public static class HikyakuMembership
{
    /// <summary>
    /// The probe timeout at start. Orleans adapts it to the measured probe round trips between half and four times
    /// this value (<see cref="ClusterMembershipOptions.MinProbeTimeout"/>, <see cref="ClusterMembershipOptions.MaxProbeTimeout"/>),
    /// and probes once per timeout. Orleans' default: 5 s.
    /// </summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes in a row before a silo votes another dead. Orleans' default, 3.</summary>
    public const int NumMissedProbesLimit = 3;

    /// <summary>
    /// How often each silo reads the membership table. Deaths are gossiped at once; the read is what catches one the
    /// gossip missed. Orleans' default: 60 s.
    /// </summary>
    public static readonly TimeSpan TableRefreshTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Set on <see cref="ClusterMembershipOptions"/> before the <c>Hikyaku:Cluster:Membership</c> section is bound over it.</summary>
    /// <remarks>
    /// Left at Orleans' values, because they do not shorten detection: <see cref="ClusterMembershipOptions.NumVotesForDeathDeclaration"/>
    /// (2), <see cref="ClusterMembershipOptions.DeathVoteExpirationTimeout"/> (2 min: votes only need to outlive the few
    /// seconds of detection) and <see cref="ClusterMembershipOptions.IAmAliveTablePublishTimeout"/> (30 s: the heartbeat
    /// only marks entries stale, and a shorter one would mark every silo stale sooner during a database outage).
    /// </remarks>
    public static void ApplyDefaults(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = ProbeTimeout;
        options.NumMissedProbesLimit = NumMissedProbesLimit;
        options.TableRefreshTimeout = TableRefreshTimeout;
        options.DefunctSiloExpiration = TimeSpan.FromHours(1);
    }
}
