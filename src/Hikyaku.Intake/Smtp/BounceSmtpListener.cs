using System.Net;
using System.Net.Sockets;
using Hikyaku.Intake.Processing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SmtpServer;
using SmtpServer.ComponentModel;

namespace Hikyaku.Intake.Smtp;

/// <summary>
/// The inbound SMTP server of the bounce domain (<c>Bounces:Listen</c>): the bounce domain's MX points here, and
/// every DSN or complaint sent to a return path lands on its reader. Its port is open once the host has started.
/// </summary>
public sealed class BounceSmtpListener(BounceOptions options, BounceProcessor processor, ILogger<BounceSmtpListener> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;
    private Task? _serving;

    /// <summary>Where the listener listens (the real port when configured with port 0); null before start.</summary>
    public IPEndPoint? EndPoint => _listener?.LocalEndpoint as IPEndPoint;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var endPoint = options.ListenEndPoint ?? throw new InvalidOperationException("Bounces:Listen is not set");
        _listener = new TcpListener(endPoint);
        _listener.Start();
        var smtp = new SmtpServerOptionsBuilder()
            .ServerName(options.Domain!)
            .MaxMessageSize(options.MaxMessageBytes)
            .Endpoint(e => e.Endpoint(endPoint))
            .Build();
        var services = new ServiceProvider();
        services.Add(new BoundListenerFactory(_listener));
        services.Add(new BounceMailboxFilter(processor, logger));
        services.Add(new BounceMessageStore(processor));
        _serving = new SmtpServer.SmtpServer(smtp, services).StartAsync(_stop.Token);
        IntakeLog.Listening(logger, options.Domain!, EndPoint!.ToString());
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_serving is not null)
        {
            try
            {
                await _serving.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Cancellation is how the server is told to stop.
            }
        }

        _listener?.Stop();
    }

    public void Dispose()
    {
        _listener?.Dispose();
        _stop.Dispose();
    }
}
