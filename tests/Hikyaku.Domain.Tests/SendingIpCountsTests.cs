using Hikyaku.Contracts.Events;
using Hikyaku.Domain.SendingIps;

namespace Hikyaku.Domain.Tests;

public class SendingIpCountsTests
{
    private static readonly DateOnly Today = new(2026, 12, 3);

    private static void Sent(SendingIpState state, DateOnly day, int count) =>
        state.Apply(new SendingIpSentCounted(Guid.NewGuid(), DateTimeOffset.UnixEpoch, day, count));

    [Fact]
    public void Batches_of_one_day_add_up_and_other_days_are_kept_apart()
    {
        var state = new SendingIpState();
        Sent(state, Today.AddDays(-1), 40);
        Sent(state, Today, 100);
        Sent(state, Today, 250);
        Sent(state, Today.AddDays(-3), 7); // a late batch from an older day lands in its own place

        Assert.Equal(350, state.SentOn(Today));
        Assert.Equal(
            [(Today, 350), (Today.AddDays(-1), 40), (Today.AddDays(-3), 7)],
            state.Recent(Today).Select(d => (d.Date, d.Sent)));
    }

    [Fact]
    public void Only_the_last_month_of_days_is_kept()
    {
        var state = new SendingIpState();
        for (var i = 40; i >= 0; i--)
        {
            Sent(state, Today.AddDays(-i), 1);
        }

        Assert.Equal(SendingIpState.DaysKept, state.Daily.Count);
        Assert.Equal(Today.AddDays(-(SendingIpState.DaysKept - 1)), state.Daily[0].Date);
        Assert.Equal(0, state.SentOn(Today.AddDays(1)));
        Assert.Equal(SendingIpState.DaysKept - 1, state.Recent(Today.AddDays(1)).Count);
    }
}
