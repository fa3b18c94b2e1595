using MailKit.Net.Smtp;
using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.MxSim.Tests;

public sealed class GreylistTests
{
    [Fact]
    public async Task First_attempt_is_greylisted_and_a_retry_after_the_delay_is_accepted()
    {
        var clock = new FakeTimeProvider(Simulator.Start);
        await using var host = await Simulator.StartAsync(clock, Simulator.Provider("au", "taro@ezweb.ne.jp"));
        var au = host["au"];
        au.SetBehaviour(Behaviour.Greylist(TimeSpan.FromMinutes(5)));
        var message = SmtpTestClient.Message("taro@ezweb.ne.jp");

        var first = await Assert.ThrowsAsync<SmtpCommandException>(() => SmtpTestClient.SendAsync(au.Endpoint, "127.0.0.2", message));
        clock.Advance(TimeSpan.FromMinutes(4));
        var early = await Assert.ThrowsAsync<SmtpCommandException>(() => SmtpTestClient.SendAsync(au.Endpoint, "127.0.0.2", message));
        clock.Advance(TimeSpan.FromMinutes(1));
        await SmtpTestClient.SendAsync(au.Endpoint, "127.0.0.2", message);

        Assert.Equal((451, "4.7.1 <taro@ezweb.ne.jp>: Recipient address rejected: Greylisted, please try again later"),
            ((int)first.StatusCode, first.Message));
        Assert.Equal(451, (int)early.StatusCode);
        Assert.Equal(message.MessageId, Assert.Single(host.Journal.ForRecipient("taro@ezweb.ne.jp")).MessageId);
    }

    [Fact]
    public async Task Greylisting_is_per_source_ip_sender_and_recipient()
    {
        var clock = new FakeTimeProvider(Simulator.Start);
        await using var host = await Simulator.StartAsync(clock, new ProviderOptions
        {
            Profile = "softbank",
            AcceptAll = true,
            DefaultBehaviour = Behaviour.Greylist(TimeSpan.FromSeconds(30)),
        });
        var server = host["softbank"].Endpoint;

        await Assert.ThrowsAsync<SmtpCommandException>(() => SmtpTestClient.SendAsync(server, "127.0.0.2", SmtpTestClient.Message("a@softbank.ne.jp")));
        clock.Advance(TimeSpan.FromSeconds(30));
        await SmtpTestClient.SendAsync(server, "127.0.0.2", SmtpTestClient.Message("a@softbank.ne.jp"));
        // Same recipient from another source IP is a new triplet.
        await Assert.ThrowsAsync<SmtpCommandException>(() => SmtpTestClient.SendAsync(server, "127.0.0.3", SmtpTestClient.Message("a@softbank.ne.jp")));

        Assert.Equal(1, host.Journal.AcceptedCount);
        Assert.Equal(["127.0.0.2", "127.0.0.3"], host.Journal.Rejected.Select(r => r.SourceIp.ToString()));
    }
}
