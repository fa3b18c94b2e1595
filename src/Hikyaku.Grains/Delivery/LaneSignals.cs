using System.Collections.Concurrent;

namespace Hikyaku.Grains.Delivery;

/// <summary>
/// Halts shared by the batches of one lane on this silo: when one batch halts on a suspicious reply, the lane's other
/// batches in flight halt at their next reply instead of offering more recipients on what may be a blocked lane. A
/// lane numbers its batches by epoch; a halt covers every batch started up to the epoch it was raised in, and the lane
/// starts a new epoch once the site has judged.
/// </summary>
public sealed class LaneSignals
{
    private readonly ConcurrentDictionary<string, long> _haltedThrough = new(StringComparer.Ordinal);

    /// <summary>Halts every batch of <paramref name="lane"/> started in <paramref name="epoch"/> or before.</summary>
    public void Halt(string lane, long epoch) => _haltedThrough.AddOrUpdate(lane, epoch, (_, seen) => Math.Max(seen, epoch));

    /// <summary>True when a batch of <paramref name="lane"/> started in <paramref name="epoch"/> must halt.</summary>
    public bool IsHalted(string lane, long epoch) => _haltedThrough.TryGetValue(lane, out var through) && through >= epoch;
}
