using System.Collections.Concurrent;
using System.Net;

namespace Hikyaku.MxSim.Policy;

/// <summary>
/// Messages accepted per source IP in the current clock minute. A fixed window (not sliding):
/// it is what "R per minute" means in the providers' guidance and it lets a test move the fake
/// clock one minute to open the window again.
/// </summary>
internal sealed class RateWindow
{
    readonly ConcurrentDictionary<IPAddress, Counter> _counters = new();

    /// <summary>True when <paramref name="source"/> already had <paramref name="limit"/> messages accepted this minute.</summary>
    public bool IsSpent(IPAddress source, int limit, DateTimeOffset now) =>
        _counters.TryGetValue(source, out var counter) && counter.CountIn(MinuteOf(now)) >= limit;

    /// <summary>Counts one accepted message from <paramref name="source"/>.</summary>
    public void Count(IPAddress source, DateTimeOffset now) =>
        _counters.GetOrAdd(source, static _ => new Counter()).Add(MinuteOf(now));

    static long MinuteOf(DateTimeOffset now) => now.ToUnixTimeSeconds() / 60;

    sealed class Counter
    {
        long _minute;
        int _count;

        public int CountIn(long minute)
        {
            lock (this) return _minute == minute ? _count : 0;
        }

        public void Add(long minute)
        {
            lock (this)
            {
                if (_minute != minute) (_minute, _count) = (minute, 0);
                _count++;
            }
        }
    }
}
