using System.Collections.Concurrent;
using System.Net;

namespace Hikyaku.MxSim.Policy;

/// <summary>
/// Messages accepted per source IP in the last sixty seconds. A sliding window, as the providers'
/// per-IP limits behave: a burst is refused whenever it runs over the limit, not only when it
/// happens to fall inside one clock minute. A test moves the fake clock one minute to open it again.
/// </summary>
internal sealed class RateWindow
{
    static readonly TimeSpan Width = TimeSpan.FromMinutes(1);
    readonly ConcurrentDictionary<IPAddress, Counter> _counters = new();

    /// <summary>True when <paramref name="source"/> already had <paramref name="limit"/> messages accepted in the last
    /// <paramref name="window"/> (at most a minute).</summary>
    public bool IsSpent(IPAddress source, int limit, TimeSpan window, DateTimeOffset now) =>
        _counters.TryGetValue(source, out var counter) && counter.CountSince(now - (window > Width ? Width : window)) >= limit;

    /// <summary>Counts one accepted message from <paramref name="source"/>.</summary>
    public void Count(IPAddress source, DateTimeOffset now) =>
        _counters.GetOrAdd(source, static _ => new Counter()).Add(now, now - Width);

    sealed class Counter
    {
        readonly Queue<DateTimeOffset> _accepted = new();

        public int CountSince(DateTimeOffset start)
        {
            lock (_accepted)
            {
                return _accepted.Count(at => at > start);
            }
        }

        public void Add(DateTimeOffset at, DateTimeOffset start)
        {
            lock (_accepted)
            {
                Prune(start);
                _accepted.Enqueue(at);
            }
        }

        void Prune(DateTimeOffset start)
        {
            while (_accepted.TryPeek(out var oldest) && oldest <= start) _accepted.Dequeue();
        }
    }
}
