using Hikyaku.Intake.Processing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SmtpServer;
using SmtpServer.ComponentModel;

namespace Hikyaku.Intake.Smtp;

/// <summary>
/// The inbound SMTP server of the bounce domain (<c>Bounces:Listen</c>): the bounce domain's MX points here, and
/// every DSN or complaint sent to a return path lands on its reader.
/// </summary>
public sealed class BounceSmtpListener(BounceOptions options, BounceProcessor processor, ILogger<BounceSmtpListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var endPoint = options.ListenEndPoint ?? throw new InvalidOperationException("Bounces:Listen is not set");
        var smtp = new SmtpServerOptionsBuilder()
            .ServerName(options.Domain!)
            .MaxMessageSize(options.MaxMessageBytes)
            .Endpoint(e => e.Endpoint(endPoint))
            .Build();
        var services = new ServiceProvider();
        services.Add(new BounceMailboxFilter(processor, logger));
        services.Add(new BounceMessageStore(processor));
        var server = new SmtpServer.SmtpServer(smtp, services);
        IntakeLog.Listening(logger, options.Domain!, endPoint.ToString());
        try
        {
            await server.StartAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping the host is how the listener stops.
        }
    }
}
