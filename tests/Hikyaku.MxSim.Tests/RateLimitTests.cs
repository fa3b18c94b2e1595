using MailKit.Net.Smtp;
using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.MxSim.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task After_the_per_minute_budget_mail_gets_421_until_the_next_minute()
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
}
