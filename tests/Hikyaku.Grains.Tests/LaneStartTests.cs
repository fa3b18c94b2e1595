using Hikyaku.Grains.Delivery;
using Microsoft.Extensions.Configuration;

namespace Hikyaku.Grains.Tests;

public sealed class LaneStartTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_lane_toward_a_catalog_provider_starts_at_its_per_IP_defaults_and_may_earn_its_way_up_to_the_configured_pace()
    {
        var options = new LaneOptions { InitialRatePerMinute = 6000, Concurrency = 4 };

        var docomo = options.StartingThrottle("docomo", Now);
        var microsoft = options.StartingThrottle("microsoft", Now);

        Assert.Equal((20.0, 1, 6000.0), (docomo.Rate, docomo.Concurrency, docomo.Ceiling));
        Assert.Equal((60.0, 2), (microsoft.Rate, microsoft.Concurrency));
        microsoft.OnSuccess(50, Now + Hikyaku.Domain.Delivery.LaneThrottle.IncreaseEvery);
        Assert.True(microsoft.Rate > 60);
    }

    [Fact]
    public void Without_provider_defaults_or_for_an_unknown_site_a_lane_starts_at_the_configured_pace()
    {
        var unknownSite = new LaneOptions { InitialRatePerMinute = 600, Concurrency = 3 }.StartingThrottle("mx.example-isp.jp", Now);
        var off = new LaneOptions { InitialRatePerMinute = 600, Concurrency = 3, ApplyProviderDefaults = false }.StartingThrottle("docomo", Now);

        Assert.Equal((600.0, 3), (unknownSite.Rate, unknownSite.Concurrency));
        Assert.Equal((600.0, 3), (off.Rate, off.Concurrency));
    }
    [Fact]
    public void Configured_retry_delays_replace_the_default_ones_and_none_configured_keeps_them()
    {
        var configured = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Delivery:Lanes:RetryDelays:0"] = "00:00:01", ["Delivery:Lanes:RetryDelays:1"] = "00:00:02" })
            .Build();
        var options = configured.GetSection("Delivery:Lanes").Get<LaneOptions>()!;
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], options.Schedule.Delays);
        Assert.Equal(Hikyaku.Domain.Delivery.RetrySchedule.Default.Delays, new LaneOptions().Schedule.Delays);
    }
}
