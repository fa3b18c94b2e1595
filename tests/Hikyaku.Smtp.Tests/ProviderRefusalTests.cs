using Hikyaku.Bounces;
using Hikyaku.MxSim;
using SmtpStage = Hikyaku.Bounces.SmtpStage;
using Hikyaku.Smtp.Composition;

namespace Hikyaku.Smtp.Tests;

public sealed class ProviderRefusalTests
{
    [Fact]
    public async Task Unknown_mailbox_is_rejected_at_rcpt_with_the_reply_and_the_others_are_delivered()
    {
        await using var host = await Sandbox.StartAsync("microsoft", "taro@hotmail.co.jp", "hanako@hotmail.co.jp");
        await using var sender = new SmtpSender(Sandbox.Options());
        var messages = Sandbox.Messages(new MessageComposer(Sandbox.Issue()), "taro@hotmail.co.jp", "nobody@hotmail.co.jp", "hanako@hotmail.co.jp");

        var outcomes = await sender.SendAsync(Sandbox.Batch(host, "microsoft", Sandbox.Ip2, messages));

        Assert.Equal([DeliveryOutcomeKind.Accepted, DeliveryOutcomeKind.Rejected, DeliveryOutcomeKind.Accepted], outcomes.Select(o => o.Kind));
        var unknown = outcomes[1];
        Assert.Equal((SmtpStage.Rcpt, 550, "5.5.0", "Requested action not taken: mailbox unavailable. [BN8NAM12FT049.eop-nam12.prod.protection.outlook.com]", true),
            (unknown.Stage, unknown.Code, unknown.EnhancedCode, unknown.Text, unknown.FromProvider));
        Assert.Contains("C: RCPT TO:<nobody@hotmail.co.jp>", unknown.Transcript);
        Assert.Contains("S: 550 5.5.0 Requested action not taken: mailbox unavailable. [BN8NAM12FT049.eop-nam12.prod.protection.outlook.com]", unknown.Transcript);
        Assert.DoesNotContain(unknown.Transcript, l => l.Contains("本文", StringComparison.Ordinal));
        Assert.Equal(2, host.Journal.AcceptedCount);
        Assert.Equal(1, sender.ConnectionsOpened);
    }

    [Fact]
    public async Task Gmail_multi_line_reply_is_kept_whole()
    {
        await using var host = await Sandbox.StartAsync("google", "taro@gmail.com");
        await using var sender = new SmtpSender(Sandbox.Options());

        var outcomes = await sender.SendAsync(Sandbox.Batch(host, "google", Sandbox.Ip2, Sandbox.Messages(new MessageComposer(Sandbox.Issue()), "nobody@gmail.com")));

        var rejected = Assert.Single(outcomes);
        Assert.Equal("5.1.1", rejected.EnhancedCode);
        Assert.Equal(
            "The email account that you tried to reach does not exist. Please try\n" +
            "double-checking the recipient's email address for typos or\n" +
            "unnecessary spaces. For more information, go to\n" +
            "https://support.google.com/mail/?p=NoSuchUser - gsmtp", rejected.Text);
        Assert.Equal(4, rejected.Transcript.Count(l => l.StartsWith("S: 550", StringComparison.Ordinal)));
        Assert.Equal(BounceReason.UserUnknown, ReplyClassifier.Classify(rejected.ToSmtpReply()).Reason);
    }

    [Fact]
    public async Task Disguised_block_rejects_every_reader_from_the_blocked_ip_only()
    {
        await using var host = await Sandbox.StartAsync("microsoft");
        host["microsoft"].SetBehaviour(Behaviour.DisguisedBlock, sourceIp: "127.0.0.2");
        await using var sender = new SmtpSender(Sandbox.Options());
        var composer = new MessageComposer(Sandbox.Issue());
        string[] readers = ["a@hotmail.com", "b@hotmail.com", "c@hotmail.com"];

        var blocked = await sender.SendAsync(Sandbox.Batch(host, "microsoft", Sandbox.Ip2, Sandbox.Messages(composer, readers)));
        var clean = await sender.SendAsync(Sandbox.Batch(host, "microsoft", Sandbox.Ip3, Sandbox.Messages(composer, readers)));

        Assert.Equal("Rejected=3", Sandbox.Summary(blocked));
        Assert.All(blocked, o => Assert.True(o is { Stage: SmtpStage.Rcpt, Code: 550, FromProvider: true }));
        Assert.Equal("Accepted=3", Sandbox.Summary(clean));
    }

    [Theory]
    [InlineData("microsoft", "a@hotmail.com", SmtpStage.Rcpt, 550, "S3150")]
    [InlineData("yahoo-jp", "a@yahoo.co.jp", SmtpStage.Mail, 554, "blocked")]
    [InlineData("google", "a@gmail.com", SmtpStage.Data, 550, "likely unsolicited mail")]
    public async Task Explicit_block_is_rejected_at_the_providers_stage_with_its_words(string provider, string reader, SmtpStage stage, int code, string words)
    {
        await using var host = await Sandbox.StartAsync(provider);
        host[provider].SetBehaviour(Behaviour.ExplicitBlock, sourceIp: "127.0.0.2");
        await using var sender = new SmtpSender(Sandbox.Options());

        var outcomes = await sender.SendAsync(Sandbox.Batch(host, provider, Sandbox.Ip2, Sandbox.Messages(new MessageComposer(Sandbox.Issue()), reader, "x" + reader)));

        Assert.Equal("Rejected=2", Sandbox.Summary(outcomes));
        Assert.All(outcomes, o => Assert.True(o.Stage == stage && o.Code == code && o.FromProvider && o.Text.Contains(words), $"{o.Stage} {o.Code} {o.Text}"));
        Assert.Equal(0, host.Journal.AcceptedCount);
    }

    [Fact]
    public async Task Rate_limit_421_defers_the_rest_of_the_batch_with_the_providers_reply()
    {
        await using var host = await Sandbox.StartAsync("microsoft");
        host["microsoft"].SetBehaviour(Behaviour.RateLimit(3), sourceIp: "127.0.0.2");
        await using var sender = new SmtpSender(Sandbox.Options());
        var readers = Enumerable.Range(0, 10).Select(i => $"r{i}@hotmail.com").ToArray();

        var outcomes = await sender.SendAsync(Sandbox.Batch(host, "microsoft", Sandbox.Ip2, Sandbox.Messages(new MessageComposer(Sandbox.Issue()), readers)));

        Assert.Equal("Accepted=3 Deferred=7", Sandbox.Summary(outcomes));
        Assert.All(outcomes.Skip(3), o => Assert.True(o is { Code: 421, EnhancedCode: "4.7.0", Stage: SmtpStage.Mail, FromProvider: true }));
        Assert.StartsWith("RP-001 Unfortunately, some messages from [127.0.0.2]", outcomes[3].Text);
        Assert.Contains(outcomes[3].Transcript, l => l.StartsWith("S: 421 4.7.0 RP-001", StringComparison.Ordinal));
        // Only one MAIL got the 421: the deferred rest never reached the provider.
        Assert.Single(host.Journal.Rejected);
    }
}
