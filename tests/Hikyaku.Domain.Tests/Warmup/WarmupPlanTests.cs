using Hikyaku.Domain.Providers;
using Hikyaku.Domain.Warmup;

namespace Hikyaku.Domain.Tests.Warmup;

public class WarmupPlanTests
{
    [Fact]
    public void Every_catalog_provider_has_a_rising_curve_that_cites_its_source()
    {
        var plan = WarmupPlan.Shipped;
        Assert.Equal(
            ProviderCatalog.Default.Providers.Select(p => p.Id).Order(),
            plan.Providers.Keys.Order());
        foreach (var (id, curve) in plan.Providers.Append(new("default", plan.Default)))
        {
            Assert.True(curve.Days >= 7, $"{id}: a warm-up of {curve.Days} days");
            Assert.True(curve.DailyCaps.Zip(curve.DailyCaps.Skip(1)).All(p => p.Second > p.First), $"{id}: the caps must rise day by day");
            Assert.Contains("https://", curve.Source, StringComparison.Ordinal);
            // No provider publishes daily numbers: the file must say the curve is Hikyaku's approximation.
            Assert.Contains("Approximation", curve.Source, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void A_curve_caps_each_day_and_the_ip_is_warm_after_its_last_day()
    {
        var curve = new WarmupCurve([15, 30, 60], "test");
        Assert.Equal([15, 30, 60, null, null], Enumerable.Range(0, 5).Select(curve.CapOn));
        Assert.Null(curve.CapOn(-1));
    }

    [Fact]
    public void A_site_outside_the_catalog_follows_the_default_curve()
    {
        var plan = WarmupPlan.Shipped;
        Assert.Same(plan.Default, plan.For("mx.example-isp.jp"));
        Assert.NotSame(plan.Default, plan.For("microsoft"));
    }

    [Fact]
    public void Configured_curves_replace_the_shipped_ones_whole_and_leave_the_others()
    {
        var shipped = WarmupPlan.Shipped;
        var plan = shipped.With([5, 10], new Dictionary<string, List<int>> { ["microsoft"] = [15] });

        Assert.Equal([15], plan.For("microsoft").DailyCaps);
        Assert.Null(plan.For("microsoft").CapOn(1));
        Assert.Equal([5, 10], plan.For("mx.example-isp.jp").DailyCaps);
        Assert.Equal(shipped.For("google").DailyCaps, plan.For("google").DailyCaps);
        Assert.Contains("Delivery:Warmup:Curves:microsoft", plan.For("microsoft").Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 10, 0, 30 })]
    [InlineData(new[] { -5 })]
    public void A_curve_without_days_or_with_a_cap_below_one_is_refused(int[] caps)
    {
        Assert.Throws<FormatException>(() => WarmupPlan.Shipped.With(null, new Dictionary<string, List<int>> { ["google"] = [.. caps] }));
    }

    [Fact]
    public void A_file_that_lists_a_provider_twice_is_refused()
    {
        const string json = """
            {"default": {"caps": [1], "source": "s"}, "providers": [{"id": "au", "caps": [1], "source": "s"}, {"id": "au", "caps": [2], "source": "s"}]}
            """;
        Assert.Throws<FormatException>(() => WarmupPlan.Parse(json));
    }
}
