using System.Net;
using System.Net.Sockets;
using Hikyaku.Intake.Processing;
using Hikyaku.Intake.Smtp;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;
using static Hikyaku.Intake.Tests.Reports;
using static Hikyaku.Testing.LateReports;

namespace Hikyaku.Intake.Tests;

/// <summary>The bounce listener on a loopback port, spoken to by MailKit as a remote MTA would.</summary>
public sealed class SmtpListenerTests : IAsyncLifetime
{
    private readonly RecordingRecorder _recorder = new();
    private readonly ListLogger<BounceSmtpListener> _log = new();
    private readonly CancellationTokenSource _stop = new();
    private BounceSmtpListener _listener = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var options = new BounceOptions { Domain = BounceDomain, Listen = $"127.0.0.1:{_port}" };
        _listener = new BounceSmtpListener(options, Processor(_recorder), _log);
        await _listener.StartAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _listener.StopAsync(CancellationToken.None);
        _listener.Dispose();
        _stop.Dispose();
    }

    [Fact]
    public async Task A_DSN_to_a_genuine_return_path_is_accepted_and_reaches_its_reader()
    {
        await Send(ReturnPathOf(Taro), Dsn(ReturnPathOf(Taro), "taro@example.jp", "5.1.1", "550 5.1.1 User unknown", "Subject: x\n"));

        var (path, notice) = Assert.Single(_recorder.Recorded);
        Assert.Equal((Taro, "userunknown", "smtp"), (path, notice.Reason, notice.Via));
    }

    [Fact]
    public async Task A_forged_return_path_is_refused_at_RCPT_with_550_5_1_1_and_logged()
    {
        var genuine = ReturnPathOf(Taro);
        var forged = genuine[..20] + (genuine[20] == 'q' ? 'r' : 'q') + genuine[21..];

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => Send(forged, Dsn(forged, "taro@example.jp", "5.1.1", "550 5.1.1 User unknown", "Subject: x\n")));

        Assert.Equal((SmtpErrorCode.RecipientNotAccepted, 550), (refused.ErrorCode, (int)refused.StatusCode));
        Assert.StartsWith("5.1.1", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_recorder.Recorded);
        var warning = Assert.Single(_log.Entries, e => e.EventId == 4601);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(forged, warning.Message, StringComparison.Ordinal);
        Assert.Contains("does not open", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_cluster_cannot_record_the_report_the_MTA_is_told_451_and_its_retry_is_recorded_once()
    {
        var dsn = Dsn(ReturnPathOf(Taro), "taro@example.jp", "5.1.1", "550 5.1.1 User unknown", "Subject: x\n");
        _recorder.Fail = true;

        var deferred = await Assert.ThrowsAsync<SmtpCommandException>(() => Send(ReturnPathOf(Taro), dsn));
        _recorder.Fail = false;
        await Send(ReturnPathOf(Taro), dsn);
        await Send(ReturnPathOf(Taro), dsn);

        Assert.Equal(451, (int)deferred.StatusCode);
        Assert.Single(_recorder.Recorded);
    }

    private async Task Send(string recipient, string report)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", _port, SecureSocketOptions.None);
        var message = MimeMessage.Load(new MemoryStream(Bytes(report)));
        await client.SendAsync(message, MailboxAddress.Parse("MAILER-DAEMON@mx.example.jp"), [MailboxAddress.Parse(recipient)]);
        await client.DisconnectAsync(quit: true);
    }
}
