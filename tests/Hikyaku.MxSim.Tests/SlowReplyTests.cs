using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.MxSim.Tests;

public sealed class SlowReplyTests
{
    [Fact]
    public async Task Slow_replies_delay_each_mail_rcpt_and_data_reply()
    {
        var delay = TimeSpan.FromMilliseconds(150);
        await using var host = await Simulator.StartAsync(new FakeTimeProvider(Simulator.Start), Simulator.Provider("google", "taro@gmail.com"));
        var google = host["google"];
        google.SetBehaviour(Behaviour.SlowReplies(delay), sourceIp: "127.0.0.2");
        using var client = await SmtpTestClient.ConnectAsync(google.Endpoint, "127.0.0.2");

        var watch = Stopwatch.StartNew();
        await client.SendAsync(SmtpTestClient.Message("taro@gmail.com"));
        watch.Stop();

        // MAIL, RCPT and the end of DATA each wait; only a lower bound is asserted (tests never bound wall-clock time from above).
        Assert.True(watch.Elapsed >= 3 * delay, $"sent in {watch.Elapsed.TotalMilliseconds} ms, expected at least {3 * delay.TotalMilliseconds} ms");
        Assert.Equal(1, host.Journal.CountFor("taro@gmail.com"));
    }
}
