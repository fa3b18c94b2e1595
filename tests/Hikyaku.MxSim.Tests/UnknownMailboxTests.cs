using MailKit.Net.Smtp;
using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.MxSim.Tests;

public sealed class UnknownMailboxTests
{
    [Theory]
    [InlineData("microsoft", "nobody@hotmail.co.jp", 550, "5.5.0 Requested action not taken: mailbox unavailable. [BN8NAM12FT049.eop-nam12.prod.protection.outlook.com]")]
    [InlineData("apple", "nobody@icloud.com", 550, "5.1.1 <nobody@icloud.com>: user does not exist")]
    [InlineData("yahoo", "nobody@yahoo.com", 554, "delivery error: dd This user doesn't have a yahoo.com account (nobody@yahoo.com) [0] - mta1234.mail.gq1.yahoo.com")]
    [InlineData("docomo", "nobody@docomo.ne.jp", 550, "Unknown user nobody@docomo.ne.jp")]
    [InlineData("au", "nobody@ezweb.ne.jp", 550, "<nobody@ezweb.ne.jp>: User unknown")]
    [InlineData("softbank", "nobody@i.softbank.jp", 550, "Invalid recipient: <nobody@i.softbank.jp>")]
    public async Task Unknown_mailbox_gets_the_providers_user_unknown_reply_at_rcpt(string provider, string recipient, int code, string text)
    {
        await using var host = await Simulator.StartAsync(new FakeTimeProvider(Simulator.Start), Simulator.Provider(provider, "known@example.invalid"));
        var server = host.Providers[0].Endpoint;

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => SmtpTestClient.SendAsync(server, "127.0.0.2", SmtpTestClient.Message(recipient)));

        Assert.Equal((SmtpErrorCode.RecipientNotAccepted, code, text), (refused.ErrorCode, (int)refused.StatusCode, refused.Message));
        var rejection = Assert.Single(host.Journal.Rejected);
        Assert.Equal((SmtpStage.RcptTo, recipient, code), (rejection.Stage, rejection.Recipient, rejection.Code));
        Assert.Equal(0, host.Journal.AcceptedCount);
    }

    [Fact]
    public async Task Gmail_user_unknown_is_a_multi_line_reply_with_the_enhanced_code_on_every_line()
    {
        await using var host = await Simulator.StartAsync(new FakeTimeProvider(Simulator.Start), Simulator.Provider("google", "known@gmail.com"));

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(
            () => SmtpTestClient.SendAsync(host.ResolveEndpoint("gmail.com")!, "127.0.0.2", SmtpTestClient.Message("nobody@gmail.com")));

        Assert.Equal(550, (int)refused.StatusCode);
        var lines = refused.Message.Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.All(lines, line => Assert.StartsWith("5.1.1 ", line));
        Assert.StartsWith("5.1.1 The email account that you tried to reach does not exist.", lines[0]);
        Assert.EndsWith("https://support.google.com/mail/?p=NoSuchUser - gsmtp", lines[3]);
    }

    [Fact]
    public async Task Existing_and_unknown_recipients_of_one_message_are_answered_each_on_its_own()
    {
        await using var host = await Simulator.StartAsync(new FakeTimeProvider(Simulator.Start), Simulator.Provider("microsoft", "taro@outlook.jp"));
        var message = SmtpTestClient.Message("taro@outlook.jp");
        message.To.Add(MimeKit.MailboxAddress.Parse("ghost@outlook.jp"));

        using var client = await SmtpTestClient.ConnectAsync(host.ResolveEndpoint("outlook.jp")!, "127.0.0.2");
        // MailKit refuses the whole send on the first refused recipient unless told otherwise.
        await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(message));

        Assert.Equal("ghost@outlook.jp", Assert.Single(host.Journal.Rejected).Recipient);
    }
}
