using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.MxSim.Tests;

public sealed class DropConnectionTests
{
    [Theory]
    [InlineData(SmtpStage.Connect)]
    [InlineData(SmtpStage.MailFrom)]
    [InlineData(SmtpStage.RcptTo)]
    [InlineData(SmtpStage.Data)]
    public async Task Dropped_connection_is_seen_by_the_client_as_closed_without_a_reply(SmtpStage stage)
    {
        await using var host = await Simulator.StartAsync(new FakeTimeProvider(Simulator.Start), Simulator.Provider("yahoo-jp", "taro@yahoo.co.jp"));
        var yahoo = host["yahoo-jp"];
        yahoo.SetBehaviour(Behaviour.DropConnection(stage), sourceIp: "127.0.0.2");

        var failure = await Record.ExceptionAsync(() => SmtpTestClient.SendAsync(yahoo.Endpoint, "127.0.0.2", SmtpTestClient.Message("taro@yahoo.co.jp")));

        Assert.True(failure is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException,
            $"expected a closed connection, got {failure?.GetType().Name ?? "success"}: {failure?.Message}");
        var drop = Assert.Single(host.Journal.Rejected);
        Assert.True(drop.Dropped);
        Assert.Equal(stage, drop.Stage);
        Assert.Equal(0, host.Journal.AcceptedCount);
        // Other source IPs are served normally.
        await SmtpTestClient.SendAsync(yahoo.Endpoint, "127.0.0.3", SmtpTestClient.Message("taro@yahoo.co.jp"));
        Assert.Equal(1, host.Journal.AcceptedCount);
    }
}
