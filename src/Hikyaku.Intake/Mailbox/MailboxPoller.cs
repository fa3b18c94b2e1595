using MailKit.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hikyaku.Intake.Mailbox;

/// <summary>
/// Reads a bounce mailbox every <see cref="MailboxOptions.PollInterval"/> until the silo stops. A failed poll is
/// logged (MailKit's errors name the server and the failed command, never the password) and tried again at the
/// next interval; reports a poll could not record stay in the mailbox for the next one.
/// </summary>
/// <remarks>Several silos may poll the same mailbox: each report is recorded once whoever reads it first.</remarks>
public abstract class MailboxPoller(MailboxOptions mailbox, string protocol, TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>TLS from the first byte on the protocol's TLS port, STARTTLS on another, none when TLS is off.</summary>
    protected SecureSocketOptions Security =>
        !mailbox.UseTls ? SecureSocketOptions.None : mailbox.EffectivePort == mailbox.TlsPort ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;

    /// <summary>Reads the mailbox once.</summary>
    public abstract Task PollOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IntakeLog.Polling(logger, protocol, mailbox.ToString(), mailbox.PollInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                IntakeLog.PollFailed(logger, protocol, mailbox.ToString(), e.Message, e);
            }

            try
            {
                await Task.Delay(mailbox.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
