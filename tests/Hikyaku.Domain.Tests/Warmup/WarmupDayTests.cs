using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.SendingIps;
using Hikyaku.Domain.Warmup;

namespace Hikyaku.Domain.Tests.Warmup;

public class WarmupDayTests
{
    private static readonly DateOnly Monday = new(2026, 12, 7);
    private static readonly DateTimeOffset At = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly WarmupPlan Plan = WarmupPlan.Shipped.With([100, 200], new Dictionary<string, List<int>> { ["microsoft"] = [15, 30, 60] });

    private static void Sent(SendingIpState ip, string site, DateOnly day, int count) =>
        ip.Apply(new SendingIpSentCounted(Guid.NewGuid(), At, day, count, site));

    private static SendingIpState Warming(int day = 0, string? provider = null)
    {
        var ip = new SendingIpState();
        ip.Apply(new SendingIpWarmupStarted(Guid.NewGuid(), At, day, provider, "test"));
        return ip;
    }

    [Fact]
    public void A_new_ip_starts_at_day_0_with_the_first_cap_toward_every_provider()
    {
        var ip = Warming();
        Assert.Equal((0, (int?)15, 0), Figures(ip.WarmupToward("microsoft", Plan, Monday)));
        Assert.Equal((0, (int?)100, 0), Figures(ip.WarmupToward("mx.example-isp.jp", Plan, Monday)));
        Assert.Equal(WarmupView.Warming, ip.WarmupView(Plan, Monday).State);
    }

    [Fact]
    public void Sends_count_toward_today_and_the_day_advances_only_on_the_next_calendar_day()
    {
        var ip = Warming();
        Sent(ip, "microsoft", Monday, 10);
        Sent(ip, "microsoft", Monday, 5);

        Assert.Equal((0, (int?)15, 15), Figures(ip.WarmupToward("microsoft", Plan, Monday)));
        Assert.Equal(0, ip.WarmupToward("microsoft", Plan, Monday).Room);
        Assert.Equal((1, (int?)30, 0), Figures(ip.WarmupToward("microsoft", Plan, Monday.AddDays(1))));
    }

    [Fact]
    public void A_day_without_sends_does_not_advance_the_warm_up()
    {
        var ip = Warming();
        Sent(ip, "microsoft", Monday, 15);
        // Nothing on Tuesday or Wednesday: on Thursday the IP is on day 1, not day 3.
        Assert.Equal(1, ip.WarmupToward("microsoft", Plan, Monday.AddDays(3)).Day);
        Sent(ip, "microsoft", Monday.AddDays(3), 20);
        Assert.Equal((1, (int?)30, 20), Figures(ip.WarmupToward("microsoft", Plan, Monday.AddDays(3))));
        Assert.Equal(2, ip.WarmupToward("microsoft", Plan, Monday.AddDays(10)).Day);
    }

    [Fact]
    public void Each_provider_advances_on_its_own_days()
    {
        var ip = Warming();
        Sent(ip, "microsoft", Monday, 15);
        Sent(ip, "microsoft", Monday.AddDays(1), 30);
        Sent(ip, "google", Monday.AddDays(1), 50);

        var wednesday = Monday.AddDays(2);
        Assert.Equal(2, ip.WarmupToward("microsoft", Plan, wednesday).Day);
        Assert.Equal(1, ip.WarmupToward("google", Plan, wednesday).Day);
        Assert.Equal(0, ip.WarmupToward("docomo", Plan, wednesday).Day);
    }

    [Fact]
    public void After_the_curves_last_day_the_ip_is_warm_toward_that_provider()
    {
        var ip = Warming();
        for (var d = 0; d < 3; d++)
        {
            Sent(ip, "microsoft", Monday.AddDays(d), 10);
        }

        var status = ip.WarmupToward("microsoft", Plan, Monday.AddDays(3));
        Assert.Equal((3, (int?)null), (status.Day, status.CapToday));
        Assert.False(status.Warming);
        Assert.Equal(int.MaxValue, status.Room);
    }

    [Fact]
    public void A_late_count_from_an_earlier_day_adds_to_no_day_of_the_warm_up()
    {
        var ip = Warming();
        Sent(ip, "microsoft", Monday.AddDays(1), 7);
        Sent(ip, "microsoft", Monday, 4); // a batch that finished after midnight, counted for the day it left on

        Assert.Equal((0, (int?)15, 7), Figures(ip.WarmupToward("microsoft", Plan, Monday.AddDays(1))));
    }

    [Fact]
    public void A_restart_for_one_provider_leaves_the_others_where_they_are()
    {
        var ip = Warming();
        Sent(ip, "microsoft", Monday, 15);
        Sent(ip, "google", Monday, 100);
        ip.Apply(new SendingIpWarmupStarted(Guid.NewGuid(), At, 0, "microsoft", "cooldown:microsoft.1"));

        var tuesday = Monday.AddDays(1);
        Assert.Equal((0, (int?)15, 0), Figures(ip.WarmupToward("microsoft", Plan, tuesday)));
        Assert.Equal(1, ip.WarmupToward("google", Plan, tuesday).Day);
    }

    [Fact]
    public void A_warm_ip_restarted_for_one_provider_warms_toward_it_only()
    {
        var ip = Warming(provider: "microsoft");
        Assert.True(ip.WarmupToward("microsoft", Plan, Monday).Warming);
        Assert.False(ip.WarmupToward("google", Plan, Monday).Warming);
        Assert.Equal(["microsoft"], ip.WarmupView(Plan, Monday).Providers.Select(p => p.Provider));
    }

    [Fact]
    public void Warm_toward_one_provider_or_all_of_them()
    {
        var ip = Warming(day: 1);
        ip.Apply(new SendingIpWarmupEnded(Guid.NewGuid(), At, "microsoft", "admin"));
        Assert.False(ip.WarmupToward("microsoft", Plan, Monday).Warming);
        Assert.Equal((1, (int?)200), (ip.WarmupToward("mx.example-isp.jp", Plan, Monday).Day, ip.WarmupToward("mx.example-isp.jp", Plan, Monday).CapToday));
        Sent(ip, "microsoft", Monday, 500); // sends while warm move no warm-up

        ip.Apply(new SendingIpWarmupEnded(Guid.NewGuid(), At, null, "admin"));
        var view = ip.WarmupView(Plan, Monday);
        Assert.Equal((WarmupView.Warm, 0), (view.State, view.Providers.Count));
        Assert.False(ip.WarmupToward("google", Plan, Monday).Warming);
    }

    [Fact]
    public void Counts_written_before_warm_up_counted_per_provider_still_add_to_the_days_total()
    {
        var ip = Warming();
        ip.Apply(new SendingIpSentCounted(Guid.NewGuid(), At, Monday, 40));
        Assert.Equal(40, ip.SentOn(Monday));
        Assert.Equal(0, ip.WarmupToward("microsoft", Plan, Monday).SentToday);
    }

    private static (int Day, int? Cap, int Sent) Figures(WarmupStatus s) => (s.Day, s.CapToday, s.SentToday);
}
