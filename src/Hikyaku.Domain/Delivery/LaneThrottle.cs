namespace Hikyaku.Domain.Delivery;

/// <summary>
/// The pace of one lane (provider site × sending IP): a token bucket whose rate and connections adapt — both halved when
/// the provider asks to slow down (multiplicative decrease, once per <see cref="DecreaseHoldoff"/>: the batches in flight
/// then all meet the same limit), with a pause of that long before the next send, raised by a step after success at most once per <see cref="IncreaseEvery"/> (additive
/// increase) — and never above the tenant's own "N at once, then wait" ceiling or the connections it started with.
/// </summary>
public sealed class LaneThrottle
{
    /// <summary>The shortest time between two raises of the pace.</summary>
    public static readonly TimeSpan IncreaseEvery = TimeSpan.FromSeconds(1);

    /// <summary>Rate limits met within this long of the last slow-down are the same signal (the batches that were in flight).</summary>
    public static readonly TimeSpan DecreaseHoldoff = TimeSpan.FromSeconds(2);

    private double _tokens;
    private DateTimeOffset _refilledAt;
    private DateTimeOffset _changedAt;
    private DateTimeOffset? _decreasedAt;

    public LaneThrottle(double ratePerMinute, double ceilingPerMinute, int concurrency, DateTimeOffset now)
    {
        Ceiling = Math.Max(1, ceilingPerMinute);
        Rate = Math.Clamp(ratePerMinute, 1, Ceiling);
        MaxConcurrency = Concurrency = Math.Max(1, concurrency);
        _tokens = Math.Min(Rate / 60 * 5, Rate); // a small burst to start
        _refilledAt = _changedAt = now;
    }

    public double Rate { get; private set; }

    public double Ceiling { get; private set; }

    /// <summary>Connections the lane may keep busy now.</summary>
    public int Concurrency { get; private set; }

    /// <summary>The connections the lane started with: the most it gets back to.</summary>
    public int MaxConcurrency { get; }

    /// <summary>True while the rate is below the ceiling because the provider asked to slow down.</summary>
    public bool Throttled => Rate < Ceiling;

    public void SetCeiling(double ceilingPerMinute)
    {
        Ceiling = Math.Max(1, ceilingPerMinute);
        Rate = Math.Min(Rate, Ceiling);
    }

    /// <summary>Takes up to <paramref name="wanted"/> sends that the rate allows now.</summary>
    public int Take(int wanted, DateTimeOffset now)
    {
        Refill(now);
        var granted = Math.Min(wanted, (int)Math.Floor(_tokens));
        _tokens -= granted;
        return granted;
    }

    /// <summary>When at least one send will be allowed.</summary>
    public TimeSpan UntilNextToken(DateTimeOffset now)
    {
        Refill(now);
        var paused = _refilledAt > now ? _refilledAt - now : TimeSpan.Zero;
        return _tokens >= 1 ? TimeSpan.Zero : paused + TimeSpan.FromMinutes((1 - _tokens) / Rate);
    }

    /// <summary>The provider asked to slow down: half the pace and half the connections, once for the batches then in flight.</summary>
    /// <returns>Whether the pace changed (a signal within <see cref="DecreaseHoldoff"/> of the last is the same one).</returns>
    public bool OnRateLimited(DateTimeOffset now)
    {
        // Nothing more for a moment, then at the new pace: sending on at once would only meet the same limit again.
        _tokens = Math.Min(_tokens, 0);
        if (_refilledAt < now + DecreaseHoldoff)
        {
            _refilledAt = now + DecreaseHoldoff;
        }

        if (_decreasedAt is { } last && now - last < DecreaseHoldoff)
        {
            return false;
        }

        Rate = Math.Max(1, Rate / 2);
        Concurrency = Math.Max(1, Concurrency / 2);
        _decreasedAt = _changedAt = now;
        return true;
    }

    /// <summary>
    /// A batch went through: the pace rises by a hundredth of the ceiling (scaled down for a batch of fewer than ten) and one
    /// more connection, at most once per <see cref="IncreaseEvery"/>.
    /// </summary>
    public void OnSuccess(int delivered, DateTimeOffset now)
    {
        if (delivered <= 0 || now - _changedAt < IncreaseEvery)
        {
            return;
        }

        Rate = Math.Min(Ceiling, Rate + Math.Max(1, Ceiling / 100) * Math.Min(delivered, 10) / 10);
        Concurrency = Math.Min(MaxConcurrency, Concurrency + 1);
        _changedAt = now;
    }

    private void Refill(DateTimeOffset now)
    {
        var elapsed = (now - _refilledAt).TotalMinutes;
        if (elapsed > 0)
        {
            // Burst capacity: a few seconds' worth of the current rate.
            _tokens = Math.Min(_tokens + elapsed * Rate, Math.Max(1, Rate / 60 * 5));
            _refilledAt = now;
        }
    }
}
