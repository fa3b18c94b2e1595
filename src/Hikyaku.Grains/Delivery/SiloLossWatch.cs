namespace Hikyaku.Grains.Delivery;

/// <summary>
/// Tells a sender (a broadcast, a step scheduler) that a silo active at its last look has left the cluster: the lanes that
/// ran there lost their in-memory queues, so the readers it handed out and has no answer for must be handed out again.
/// </summary>
internal sealed class SiloLossWatch(IClusterMembershipService membership)
{
    private HashSet<SiloAddress>? _active;

    /// <summary>True when a silo active at the previous call is no longer active (never on the first call).</summary>
    public bool SiloLost()
    {
        var active = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToHashSet();
        var lost = _active is { } before && before.Any(s => !active.Contains(s));
        _active = active;
        return lost;
    }
}
