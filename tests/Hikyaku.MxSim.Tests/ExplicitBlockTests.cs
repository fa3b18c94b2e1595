using MailKit.Net.Smtp;
using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.MxSim.Tests;

public sealed class ExplicitBlockTests
{
    [Theory]
    [InlineData("microsoft", "taro@hotmail.com", SmtpErrorCode.RecipientNotAccepted, SmtpStage.RcptTo, 550,
        "5.7.1 Unfortunately, messages from [127.0.0.2] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).")]
    [InlineData("google", "taro@gmail.com", SmtpErrorCode.MessageNotAccepted, SmtpStage.Data, 550,
        "5.7.1 [127.0.0.2] Our system has detected that this message is\n5.7.1 likely unsolicited mail.")]
    [InlineData("apple", "taro@icloud.com", SmtpErrorCode.RecipientNotAccepted, SmtpStage.RcptTo, 550,
        "5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip=127.0.0.2")]
    [InlineData("yahoo", "taro@yahoo.com", SmtpErrorCode.SenderNotAccepted, SmtpStage.MailFrom, 421,
        "4.7.0 [TSS04] Messages from 127.0.0.2 temporarily deferred due to unexpected volume or user complaints")]
    public async Task Explicit_block_gets_the_providers_block_reply_at_its_realistic_stage(
        string provider, string recipient, SmtpErrorCode error, SmtpStage stage, int code, string textStart)
    {
        await using var host = await Simulator.StartAsync(new FakeTimeProvider(Simulator.Start), Simulator.Provider(provider, recipient));
        host[provider].SetBehaviour(Behaviour.ExplicitBlock, sourceIp: "127.0.0.2");

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(
            () => SmtpTestClient.SendAsync(host[provider].Endpoint, "127.0.0.2", SmtpTestClient.Message(recipient)));

        Assert.Equal((error, code), (refused.ErrorCode, (int)refused.StatusCode));
        Assert.StartsWith(textStart, refused.Message);
        var rejection = Assert.Single(host.Journal.Rejected);
        Assert.Equal((stage, "127.0.0.2"), (rejection.Stage, rejection.SourceIp.ToString()));
        Assert.Equal(0, host.Journal.AcceptedCount);
    }
}
