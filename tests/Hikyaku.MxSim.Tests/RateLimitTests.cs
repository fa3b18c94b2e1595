using MailKit.Net.Smtp;
using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.MxSim.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task After_the_per_minute_budget_mail_gets_421_until_a_minute_has_passed()
    {
        var clock = new FakeTimeProvider(Simulator.Start);
        await using var host = await Simulator.StartAsync(clock, new ProviderOptions { Profile = "microsoft", AcceptAll = true });
        var microsoft = host["microsoft"];
        microsoft.SetBehaviour(Behaviour.RateLimit(3), sourceIp: "127.0.0.2");

        using (var client = await SmtpTestClient.ConnectAsync(microsoft.Endpoint, "127.0.0.2"))
        {
            for (var i = 0; i < 3; i++) await client.SendAsync(SmtpTestClient.Message($"r{i}@hotmail.com"));
            var limited = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestClient.Message("r3@hotmail.com")));
            Assert.Equal(421, (int)limited.StatusCode);
            Assert.StartsWith("4.7.0 RP-001 Unfortunately, some messages from [127.0.0.2] weren't sent.", limited.Message);
        }
        // Another source IP has its own budget.
        await SmtpTestClient.SendAsync(microsoft.Endpoint, "127.0.0.3", SmtpTestClient.Message("other@hotmail.com"));

        clock.Advance(TimeSpan.FromMinutes(1));
        await SmtpTestClient.SendAsync(microsoft.Endpoint, "127.0.0.2", SmtpTestClient.Message("r3@hotmail.com"));

        Assert.Equal(4, host.Journal.FromSource("127.0.0.2").Count);
        Assert.Equal(SmtpStage.MailFrom, Assert.Single(host.Journal.Rejected).Stage);
    }

    [Fact]
    public async Task A_burst_across_a_clock_minute_boundary_is_still_limited()
    {
        var clock = new FakeTimeProvider(Simulator.Start + TimeSpan.FromSeconds(59));
        await using var host = await Simulator.StartAsync(clock, new ProviderOptions { Profile = "google", AcceptAll = true });
        var google = host["google"];
        google.SetBehaviour(Behaviour.RateLimit(3));

        using (var client = await SmtpTestClient.ConnectAsync(google.Endpoint, "127.0.0.2"))
        {
            for (var i = 0; i < 2; i++) await client.SendAsync(SmtpTestClient.Message($"r{i}@gmail.com"));
            clock.Advance(TimeSpan.FromSeconds(2)); // a new clock minute, but the same sixty seconds
            await client.SendAsync(SmtpTestClient.Message("r2@gmail.com"));
            var limited = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestClient.Message("r3@gmail.com")));
            Assert.Equal(421, (int)limited.StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(58)); // the first two are now over a minute old
        await SmtpTestClient.SendAsync(google.Endpoint, "127.0.0.2", SmtpTestClient.Message("r3@gmail.com"));
        Assert.Equal(4, host.Journal.FromSource("127.0.0.2").Count);
    }
    [Fact]
    public async Task A_limit_on_a_shorter_clock_opens_again_when_its_own_window_has_passed()
    {
        var clock = new FakeTimeProvider(Simulator.Start);
        await using var host = await Simulator.StartAsync(clock, new ProviderOptions { Profile = "google", AcceptAll = true });
        var google = host["google"];
        google.SetBehaviour(Behaviour.RateLimit(2, TimeSpan.FromSeconds(5)));

        using (var client = await SmtpTestClient.ConnectAsync(google.Endpoint, "127.0.0.2"))
        {
            for (var i = 0; i < 2; i++) await client.SendAsync(SmtpTestClient.Message($"r{i}@gmail.com"));
            var limited = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestClient.Message("r2@gmail.com")));
            Assert.Equal(421, (int)limited.StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(5.5));
        await SmtpTestClient.SendAsync(google.Endpoint, "127.0.0.2", SmtpTestClient.Message("r2@gmail.com"));

        Assert.Equal(3, host.Journal.FromSource("127.0.0.2").Count);
        Assert.Equal("RateLimit(2/5s)", google.BehaviourFor(System.Net.IPAddress.Parse("127.0.0.2")).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => Behaviour.RateLimit(2, TimeSpan.FromMinutes(2)));
    }
}
