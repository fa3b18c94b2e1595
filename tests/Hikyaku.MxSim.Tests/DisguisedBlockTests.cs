using MailKit.Net.Smtp;
using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.MxSim.Tests;

public sealed class DisguisedBlockTests
{
    [Fact]
    public async Task Disguised_block_refuses_an_existing_mailbox_as_unknown_from_the_blocked_ip_only()
    {
        await using var host = await Simulator.StartAsync(new FakeTimeProvider(Simulator.Start), Simulator.Provider("microsoft", "taro@hotmail.com"));
        var microsoft = host["microsoft"];
        var server = microsoft.Endpoint;
        microsoft.SetBehaviour(Behaviour.DisguisedBlock, sourceIp: "127.0.0.2");

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(
            () => SmtpTestClient.SendAsync(server, "127.0.0.2", SmtpTestClient.Message("taro@hotmail.com")));
        await SmtpTestClient.SendAsync(server, "127.0.0.3", SmtpTestClient.Message("taro@hotmail.com"));

        Assert.Equal((550, "5.5.0 Requested action not taken: mailbox unavailable. [BN8NAM12FT049.eop-nam12.prod.protection.outlook.com]"), ((int)refused.StatusCode, refused.Message));
        Assert.Equal("127.0.0.3", Assert.Single(host.Journal.ForRecipient("taro@hotmail.com")).SourceIp.ToString());
        Assert.Equal("127.0.0.2", Assert.Single(host.Journal.RejectionsFor("taro@hotmail.com")).SourceIp.ToString());
    }

    [Fact]
    public async Task Clearing_the_block_lets_the_same_source_ip_deliver_again()
    {
        await using var host = await Simulator.StartAsync(new FakeTimeProvider(Simulator.Start), Simulator.Provider("apple", "hanako@icloud.com"));
        var apple = host["apple"];
        apple.SetBehaviour(Behaviour.DisguisedBlock);

        await Assert.ThrowsAsync<SmtpCommandException>(
            () => SmtpTestClient.SendAsync(apple.Endpoint, "127.0.0.2", SmtpTestClient.Message("hanako@icloud.com")));
        apple.ClearBehaviour();
        await SmtpTestClient.SendAsync(apple.Endpoint, "127.0.0.2", SmtpTestClient.Message("hanako@icloud.com"));

        Assert.Equal(1, host.Journal.CountFor("hanako@icloud.com"));
        Assert.Single(host.Journal.Rejected);
    }

    [Fact]
    public async Task Switching_behaviour_takes_effect_within_an_open_session()
    {
        await using var host = await Simulator.StartAsync(new FakeTimeProvider(Simulator.Start), Simulator.Provider("softbank", "taro@softbank.ne.jp"));
        var softbank = host["softbank"];
        using var client = await SmtpTestClient.ConnectAsync(softbank.Endpoint, "127.0.0.2");

        await client.SendAsync(SmtpTestClient.Message("taro@softbank.ne.jp"));
        softbank.SetBehaviour(Behaviour.DisguisedBlock, sourceIp: "127.0.0.2");
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestClient.Message("taro@softbank.ne.jp")));
        softbank.ClearBehaviour("127.0.0.2");
        await client.SendAsync(SmtpTestClient.Message("taro@softbank.ne.jp"));

        Assert.Equal("Invalid recipient: <taro@softbank.ne.jp>", refused.Message);
        Assert.Equal(2, host.Journal.CountFor("taro@softbank.ne.jp"));
    }

    [Fact]
    public async Task Disguised_block_keeps_answering_every_recipient_of_a_long_session()
    {
        // SmtpServer would end a session after a few refused commands in a row; a real provider does not.
        await using var host = await Simulator.StartAsync(new FakeTimeProvider(Simulator.Start), new ProviderOptions
        {
            Profile = "docomo",
            AcceptAll = true,
            DefaultBehaviour = Behaviour.DisguisedBlock,
        });

        using var client = await SmtpTestClient.ConnectAsync(host.ResolveEndpoint("docomo.ne.jp")!, "127.0.0.2");
        for (var i = 0; i < 20; i++)
        {
            var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestClient.Message($"reader{i}@docomo.ne.jp")));
            Assert.Equal($"Unknown user reader{i}@docomo.ne.jp", refused.Message);
        }

        Assert.Equal(20, host.Journal.Rejected.Count);
        Assert.All(host.Journal.Rejected, r => Assert.Equal(SmtpStage.Data, r.Stage));
    }

    [Theory]
    [InlineData("docomo", "taro@docomo.ne.jp", "Unknown user taro@docomo.ne.jp")]
    [InlineData("au", "taro@ezweb.ne.jp", "<taro@ezweb.ne.jp>: User unknown")]
    [InlineData("softbank", "taro@softbank.ne.jp", "Invalid recipient: <taro@softbank.ne.jp>")]
    public async Task A_carriers_disguised_block_accepts_the_recipient_and_refuses_the_message_after_DATA(string provider, string recipient, string text)
    {
        // The Japanese carriers' reception filter: RCPT is accepted, the message is refused with the unknown-user wording.
        await using var host = await Simulator.StartAsync(new FakeTimeProvider(Simulator.Start), Simulator.Provider(provider, recipient));
        host[provider].SetBehaviour(Behaviour.DisguisedBlock, sourceIp: "127.0.0.2");

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(
            () => SmtpTestClient.SendAsync(host[provider].Endpoint, "127.0.0.2", SmtpTestClient.Message(recipient)));
        await SmtpTestClient.SendAsync(host[provider].Endpoint, "127.0.0.3", SmtpTestClient.Message(recipient));

        Assert.Equal((SmtpErrorCode.MessageNotAccepted, 550, text), (refused.ErrorCode, (int)refused.StatusCode, refused.Message));
        var rejection = Assert.Single(host.Journal.Rejected);
        Assert.Equal((SmtpStage.Data, "127.0.0.2", recipient), (rejection.Stage, rejection.SourceIp.ToString(), rejection.Recipient));
        Assert.Equal("127.0.0.3", Assert.Single(host.Journal.ForRecipient(recipient)).SourceIp.ToString());
    }
}
