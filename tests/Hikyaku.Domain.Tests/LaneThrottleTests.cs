using Hikyaku.Domain.Delivery;

namespace Hikyaku.Domain.Tests;

/// <summary>
/// A lane's pace: halved (rate and connections) when the provider asks to slow down, once for the batches then in flight;
/// raised additively after success at most once per interval; never above the tenant's ceiling or its first connections.
/// </summary>
public sealed class LaneThrottleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_rate_limit_halves_rate_and_connections_once_for_the_batches_that_were_in_flight_together()
    {
        var throttle = new LaneThrottle(6000, 6000, 4, T0);
        Assert.True(throttle.OnRateLimited(T0));
        Assert.False(throttle.OnRateLimited(T0.AddSeconds(1)));
        Assert.False(throttle.OnRateLimited(T0.AddSeconds(1.5)));
        Assert.Equal((3000, 2), (throttle.Rate, throttle.Concurrency));
        Assert.True(throttle.Throttled);

        Assert.True(throttle.OnRateLimited(T0.AddSeconds(3)));
        Assert.Equal((1500, 1), (throttle.Rate, throttle.Concurrency));
        for (var i = 0; i < 20; i++)
        {
            throttle.OnRateLimited(T0.AddSeconds(10 + 3 * i));
        }

        Assert.Equal((1, 1), (throttle.Rate, throttle.Concurrency));
    }

    [Fact]
    public void Success_raises_the_pace_by_a_step_at_most_once_per_interval_up_to_the_ceiling_and_the_first_connections()
    {
        var throttle = new LaneThrottle(6000, 6000, 4, T0);
        throttle.OnRateLimited(T0);
        throttle.OnRateLimited(T0.AddSeconds(3));
        Assert.Equal((1500, 1), (throttle.Rate, throttle.Concurrency));

        // Batches right after the slow-down do not raise it; one after the interval raises it by 1% of the ceiling.
        throttle.OnSuccess(50, T0.AddSeconds(3) + LaneThrottle.IncreaseEvery / 2);
        Assert.Equal(1500, throttle.Rate);
        throttle.OnSuccess(50, T0.AddSeconds(3) + LaneThrottle.IncreaseEvery);
        throttle.OnSuccess(50, T0.AddSeconds(3) + LaneThrottle.IncreaseEvery * 1.5);
        Assert.Equal((1560, 2), (throttle.Rate, throttle.Concurrency));

        var at = T0.AddSeconds(3) + LaneThrottle.IncreaseEvery;
        for (var i = 0; i < 200; i++)
        {
            at += LaneThrottle.IncreaseEvery;
            throttle.OnSuccess(50, at);
        }

        Assert.Equal((6000, 4), (throttle.Rate, throttle.Concurrency));
        Assert.False(throttle.Throttled);
    }

    [Fact]
    public void The_rate_never_grants_more_than_it_allows_over_a_minute()
    {
        var throttle = new LaneThrottle(120, 6000, 4, T0);
        var granted = 0;
        for (var s = 0; s < 60; s++)
        {
            granted += throttle.Take(1000, T0.AddSeconds(s));
        }

        // Two a second, plus the five-second burst it starts with.
        Assert.InRange(granted, 110, 130);
    }
    [Fact]
    public void After_a_rate_limit_the_lane_pauses_before_it_sends_again_at_the_new_pace()
    {
        var throttle = new LaneThrottle(600, 600, 4, T0);
        Assert.True(throttle.Take(1000, T0) > 0);
        throttle.OnRateLimited(T0.AddSeconds(1));
        Assert.Equal(0, throttle.Take(1000, T0.AddSeconds(2)));
        Assert.True(throttle.UntilNextToken(T0.AddSeconds(2)) >= TimeSpan.FromSeconds(1));
        // After the pause, five a second at the halved pace of 300 a minute.
        Assert.InRange(throttle.Take(1000, T0.AddSeconds(1) + LaneThrottle.DecreaseHoldoff + TimeSpan.FromSeconds(1)), 4, 6);
    }
}
