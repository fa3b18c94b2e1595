using Hikyaku.MxSim;
using Hikyaku.Smtp.Composition;

namespace Hikyaku.Smtp.Tests;

/// <summary>A lane halts a batch on a suspicious reply so that few recipients are offered on a lane that may be blocked.</summary>
public sealed class BatchHaltTests
{
    [Fact]
    public async Task A_halted_batch_offers_no_more_recipients_and_the_rest_come_back_not_attempted()
    {
        await using var host = await Sandbox.StartAsync("microsoft");
        host["microsoft"].SetBehaviour(Behaviour.DisguisedBlock, sourceIp: "127.0.0.2");
        await using var sender = new SmtpSender(Sandbox.Options());
        var readers = Enumerable.Range(0, 30).Select(i => $"r{i}@hotmail.com").ToArray();
        var refusals = 0;
        var batch = Sandbox.Batch(host, "microsoft", Sandbox.Ip2, Sandbox.Messages(new MessageComposer(Sandbox.Issue()), readers)) with
        {
            MaxConnections = 2,
            Halt = o => o.FromProvider && o.Code >= 500 && Interlocked.Increment(ref refusals) >= 3,
        };

        var outcomes = await sender.SendAsync(batch);

        // Two connections: the third refusal halts; the other connection may have one message in flight then.
        var offered = host.Journal.Rejected.Count;
        Assert.InRange(offered, 3, 4);
        Assert.Equal(offered, outcomes.Count(o => o.Kind == DeliveryOutcomeKind.Rejected));
        var halted = outcomes.Where(o => o.Halted).ToList();
        Assert.Equal(30 - offered, halted.Count);
        Assert.All(halted, o => Assert.True(o is { Kind: DeliveryOutcomeKind.NotAttempted, FromProvider: false, Code: 0 }, o.Text));
    }

    [Fact]
    public async Task Without_a_halt_every_recipient_is_offered()
    {
        await using var host = await Sandbox.StartAsync("microsoft");
        host["microsoft"].SetBehaviour(Behaviour.DisguisedBlock, sourceIp: "127.0.0.2");
        await using var sender = new SmtpSender(Sandbox.Options());
        var readers = Enumerable.Range(0, 12).Select(i => $"r{i}@hotmail.com").ToArray();

        var outcomes = await sender.SendAsync(Sandbox.Batch(host, "microsoft", Sandbox.Ip2, Sandbox.Messages(new MessageComposer(Sandbox.Issue()), readers)));

        Assert.Equal(12, host.Journal.Rejected.Count);
        Assert.DoesNotContain(outcomes, o => o.Halted);
    }
}
