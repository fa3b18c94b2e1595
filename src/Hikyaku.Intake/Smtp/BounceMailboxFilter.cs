using System.Net;
using Hikyaku.Intake.Processing;
using Microsoft.Extensions.Logging;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Hikyaku.Intake.Smtp;

/// <summary>
/// Takes mail from anyone (DSNs come with the null reverse path, RFC 5321 §4.5.5), but only for return paths of
/// ours: a recipient whose token does not open is refused at RCPT, before any data is taken, and logged.
/// </summary>
internal sealed class BounceMailboxFilter(BounceProcessor processor, ILogger logger) : IMailboxFilter
{
    public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
    {
        var address = to.AsAddress();
        if (processor.TryOpenRecipient(address, out _, out var reason))
        {
            return Task.FromResult(true);
        }

        var client = context.Properties.TryGetValue(EndpointListener.RemoteEndPointKey, out var remote) && remote is IPEndPoint ip ? ip.ToString() : "unknown";
        IntakeLog.RecipientRefused(logger, address, client, reason);
        throw new SmtpResponseException(new SmtpResponse(SmtpReplyCode.MailboxUnavailable, $"5.1.1 <{address}>: no such bounce address"));
    }
}
