using System.Collections.Concurrent;
using System.Net;

namespace Hikyaku.MxSim.Policy;

/// <summary>
/// Greylisting as RFC 6647 describes it: the first attempt of a (source IP, sender, recipient)
/// triplet is deferred, and a retry once the delay has passed is accepted; a triplet that passed
/// stays passed (postgrey's auto-whitelisting), so only the first delivery of a pair is delayed.
/// </summary>
internal sealed class Greylist
{
    readonly ConcurrentDictionary<(IPAddress Source, string Sender, string Recipient), DateTimeOffset> _firstSeen = new();

    /// <summary>
    /// False for the first attempt of the triplet; true for a later attempt at least
    /// <paramref name="delay"/> after the first.
    /// </summary>
    public bool Passes(IPAddress source, string sender, string recipient, TimeSpan delay, DateTimeOffset now)
    {
        var key = (source, sender.ToLowerInvariant(), recipient.ToLowerInvariant());
        return !_firstSeen.TryAdd(key, now) && now - _firstSeen[key] >= delay;
    }
}
