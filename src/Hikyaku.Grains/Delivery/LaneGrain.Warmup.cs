using Hikyaku.Contracts.Model;

namespace Hikyaku.Grains.Delivery;

public sealed partial class LaneGrain
{
    /// <summary>How often readers over a full warm-up cap, with no other lane that has room, look again (an operator may end the warm-up).</summary>
    private static readonly TimeSpan OverCapRecheck = TimeSpan.FromMinutes(1);

    /// <summary>How many more messages the warm-up cap lets this lane start today (those in flight count as sent).</summary>
    private int WarmupRoom => _warmup is { } warmup ? Math.Max(0, warmup.Room - _warmupInFlight) : int.MaxValue;

    /// <summary>
    /// Takes the IP grain's word on the warm-up toward this site. What this lane counted itself today stays counted until the
    /// IP's grain has it too (one lane sends from the IP to the site, so the larger count is the true one), unless the day
    /// or the warm-up itself (an operator's restart) changed. The cap is a day's volume, enforced by count (<see cref="WarmupRoom"/>);
    /// the pace inside it stays the throttle's.
    /// </summary>
    private void SetWarmup(WarmupStatus status, DateTimeOffset now)
    {
        var sameRun = _warmup is { } known && known.Today == status.Today && known.StartedAt == status.StartedAt;
        _warmup = sameRun ? status with { SentToday = Math.Max(_warmup!.SentToday, status.SentToday) } : status;
        _warmupAt = now;
    }

    /// <summary>Counts what the site accepted from a batch against today's cap, before the next batch is started.</summary>
    private void CountWarmup(int accepted)
    {
        if (_warmup is { } warmup && accepted > 0)
        {
            _warmup = warmup with { SentToday = warmup.SentToday + accepted };
        }
    }

    /// <summary>
    /// Readers ready beyond what the cap lets this lane send today go to the tenant's other clean lanes toward the site that
    /// have room, the way a blocked lane hands its readers over (never to the relay: the IPs are not refused, only full).
    /// Those with nowhere to go wait, pending, until the next UTC day, looking again now and then.
    /// </summary>
    private async Task MoveOverCap(DateTimeOffset now)
    {
        var room = WarmupRoom;
        if (CountReady(now, room + 1) <= room)
        {
            return;
        }

        _nextOverflow = now + RerouteEvery;
        var ready = TakeReady(now);
        foreach (var kept in ready.Take(room))
        {
            _queue.Enqueue(kept, kept.NotBefore);
        }

        var stayed = await MoveElsewhere(ready.Skip(room).ToList(), now, requeue: false, overCap: true);
        var nextDay = new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).AddDays(1), TimeOnly.MinValue, TimeSpan.Zero);
        var again = nextDay < now + OverCapRecheck ? nextDay : now + OverCapRecheck;
        foreach (var item in stayed)
        {
            _queue.Enqueue(item with { NotBefore = again }, again);
        }
    }
}
