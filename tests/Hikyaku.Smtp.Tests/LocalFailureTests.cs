using System.Net;
using System.Net.Sockets;
using Hikyaku.MxSim;
using Hikyaku.Smtp.Composition;
using BounceStage = Hikyaku.Bounces.SmtpStage;
using SimStage = Hikyaku.MxSim.SmtpStage;

namespace Hikyaku.Smtp.Tests;

public sealed class LocalFailureTests
{
    [Fact]
    public async Task Refused_connection_leaves_every_message_not_attempted_and_not_from_the_provider()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = (IPEndPoint)listener.LocalEndpoint;
        listener.Stop();
        await using var sender = new SmtpSender(Sandbox.Options());
        var messages = Sandbox.Messages(new MessageComposer(Sandbox.Issue()), "a@hotmail.com", "b@hotmail.com", "c@hotmail.com");

        var outcomes = await sender.SendAsync(new DeliveryBatch(Sandbox.Ip2, "mx.nowhere.test", closedPort, messages, MaxConnections: 2));

        Assert.Equal("NotAttempted=3", Sandbox.Summary(outcomes));
        Assert.All(outcomes, o => Assert.True(o is { FromProvider: false, Code: 0, Stage: BounceStage.Connect }, o.Text));
        Assert.Equal(0, sender.ConnectionsOpened);
    }

    [Fact]
    public async Task Connection_dropped_before_the_banner_is_not_attempted_at_connect()
    {
        await using var host = await Sandbox.StartAsync("yahoo-jp");
        host["yahoo-jp"].SetBehaviour(Behaviour.DropConnection(SimStage.Connect), sourceIp: "127.0.0.2");
        await using var sender = new SmtpSender(Sandbox.Options());
        var composer = new MessageComposer(Sandbox.Issue());

        var dropped = await sender.SendAsync(Sandbox.Batch(host, "yahoo-jp", Sandbox.Ip2, Sandbox.Messages(composer, "a@yahoo.co.jp", "b@yahoo.co.jp")));
        host["yahoo-jp"].ClearBehaviour("127.0.0.2");
        var after = await sender.SendAsync(Sandbox.Batch(host, "yahoo-jp", Sandbox.Ip2, Sandbox.Messages(composer, "a@yahoo.co.jp")));

        Assert.Equal("NotAttempted=2", Sandbox.Summary(dropped));
        Assert.All(dropped, o => Assert.True(o is { FromProvider: false, Code: 0, Stage: BounceStage.Connect }, o.Text));
        Assert.Equal("Accepted=1", Sandbox.Summary(after));
    }

    [Theory]
    [InlineData(SimStage.MailFrom, BounceStage.Mail)]
    [InlineData(SimStage.RcptTo, BounceStage.Rcpt)]
    [InlineData(SimStage.Data, BounceStage.Data)]
    public async Task Dropped_connection_is_not_the_providers_word_and_the_next_batch_reconnects(SimStage dropAt, BounceStage expected)
    {
        await using var host = await Sandbox.StartAsync("yahoo-jp");
        await using var sender = new SmtpSender(Sandbox.Options());
        var composer = new MessageComposer(Sandbox.Issue());
        var warm = await sender.SendAsync(Sandbox.Batch(host, "yahoo-jp", Sandbox.Ip2, Sandbox.Messages(composer, "w@yahoo.co.jp")));
        host["yahoo-jp"].SetBehaviour(Behaviour.DropConnection(dropAt), sourceIp: "127.0.0.2");

        var dropped = await sender.SendAsync(Sandbox.Batch(host, "yahoo-jp", Sandbox.Ip2, Sandbox.Messages(composer, "a@yahoo.co.jp", "b@yahoo.co.jp", "c@yahoo.co.jp")));
        host["yahoo-jp"].ClearBehaviour("127.0.0.2");
        var after = await sender.SendAsync(Sandbox.Batch(host, "yahoo-jp", Sandbox.Ip2, Sandbox.Messages(composer, "a@yahoo.co.jp", "b@yahoo.co.jp")));

        Assert.Equal("Accepted=1", Sandbox.Summary(warm));
        Assert.Equal("NotAttempted=3", Sandbox.Summary(dropped));
        Assert.All(dropped, o => Assert.True(o is { FromProvider: false, Code: 0 }));
        // The pooled session from the first batch is lost on the first message, the fresh one the
        // sender reconnects with on the second; the third is never tried and carries that failure.
        Assert.Equal([expected, expected, expected], dropped.Select(o => o.Stage));
        Assert.NotEmpty(dropped[1].Transcript);
        Assert.Empty(dropped[2].Transcript);
        Assert.Equal("Accepted=2", Sandbox.Summary(after));
        Assert.Equal(3, host.Journal.AcceptedCount);
    }
}
