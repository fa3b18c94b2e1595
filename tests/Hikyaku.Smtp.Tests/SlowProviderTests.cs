using Hikyaku.MxSim;
using Hikyaku.Smtp.Composition;
using SmtpStage = Hikyaku.Bounces.SmtpStage;

namespace Hikyaku.Smtp.Tests;

public sealed class SlowProviderTests
{
    [Fact]
    public async Task A_reply_slower_than_the_command_timeout_is_not_attempted_and_not_from_the_provider()
    {
        await using var host = await Sandbox.StartAsync("microsoft");
        host["microsoft"].SetBehaviour(Behaviour.SlowReplies(TimeSpan.FromSeconds(3)), sourceIp: "127.0.0.2");
        var options = Sandbox.Options();
        options.CommandTimeout = TimeSpan.FromMilliseconds(300);
        await using var sender = new SmtpSender(options);

        var outcomes = await sender.SendAsync(Sandbox.Batch(host, "microsoft", Sandbox.Ip2, Sandbox.Messages(new MessageComposer(Sandbox.Issue()), "a@hotmail.com", "b@hotmail.com")));

        Assert.Equal("NotAttempted=2", Sandbox.Summary(outcomes));
        Assert.All(outcomes, o => Assert.True(o is { FromProvider: false, Code: 0, Stage: SmtpStage.Mail }, $"{o.Stage} {o.Text}"));
    }

    [Fact]
    public async Task Greylisting_defers_at_rcpt_with_the_providers_reply()
    {
        await using var host = await Sandbox.StartAsync("microsoft");
        host["microsoft"].SetBehaviour(Behaviour.Greylist(TimeSpan.FromMinutes(5)), sourceIp: "127.0.0.2");
        await using var sender = new SmtpSender(Sandbox.Options());

        var outcomes = await sender.SendAsync(Sandbox.Batch(host, "microsoft", Sandbox.Ip2, Sandbox.Messages(new MessageComposer(Sandbox.Issue()), "a@hotmail.com", "b@hotmail.com")));

        Assert.Equal("Deferred=2", Sandbox.Summary(outcomes));
        Assert.All(outcomes, o => Assert.True(o is { Code: 451, EnhancedCode: "4.7.1", Stage: SmtpStage.Rcpt, FromProvider: true }));
    }

    [Fact]
    public async Task Cancellation_is_thrown_not_reported_as_an_outcome()
    {
        await using var host = await Sandbox.StartAsync("microsoft");
        host["microsoft"].SetBehaviour(Behaviour.SlowReplies(TimeSpan.FromSeconds(5)), sourceIp: "127.0.0.2");
        await using var sender = new SmtpSender(Sandbox.Options());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            sender.SendAsync(Sandbox.Batch(host, "microsoft", Sandbox.Ip2, Sandbox.Messages(new MessageComposer(Sandbox.Issue()), "a@hotmail.com")), cancel.Token));
    }
}
