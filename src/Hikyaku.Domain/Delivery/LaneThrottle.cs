namespace Hikyaku.Domain.Delivery;

/// <summary>
/// The pace of one lane (provider site × sending IP): a token bucket whose rate adapts — halved on a rate-limit
/// reply (multiplicative decrease), raised by a step per successful batch (additive increase) — and is never
/// above the tenant's own "N at once, then wait" ceiling.
/// </summary>
public sealed class LaneThrottle
{
    private double _tokens;
    private DateTimeOffset _refilledAt;

    public LaneThrottle(double ratePerMinute, double ceilingPerMinute, int concurrency, DateTimeOffset now)
    {
        Ceiling = Math.Max(1, ceilingPerMinute);
        Rate = Math.Clamp(ratePerMinute, 1, Ceiling);
        Concurrency = Math.Max(1, concurrency);
        _tokens = Math.Min(Rate / 60 * 5, Rate); // a small burst to start
        _refilledAt = now;
    }

    public double Rate { get; private set; }

    public double Ceiling { get; private set; }

    public int Concurrency { get; }

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
        return _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromMinutes((1 - _tokens) / Rate);
    }

    public void OnRateLimited()
    {
        Rate = Math.Max(1, Rate / 2);
        _tokens = Math.Min(_tokens, 0);
    }

    public void OnSuccess(int delivered) => Rate = Math.Min(Ceiling, Rate + Math.Max(1, Ceiling / 100) * Math.Min(delivered, 10) / 10);

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
