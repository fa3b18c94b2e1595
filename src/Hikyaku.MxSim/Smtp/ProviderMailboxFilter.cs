using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Hikyaku.MxSim.Smtp;

/// <summary>Answers MAIL FROM and RCPT TO as the provider would toward the session's source IP.</summary>
internal sealed class ProviderMailboxFilter(SimulatedProvider provider) : IMailboxFilter
{
    public async Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken)
    {
        await AnswerAsync(context, SmtpStage.MailFrom, from.AsAddress(), recipient: null, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
    {
        await AnswerAsync(context, SmtpStage.RcptTo, from.AsAddress(), to.AsAddress(), cancellationToken).ConfigureAwait(false);
        return true;
    }

    async Task AnswerAsync(ISessionContext context, SmtpStage stage, string sender, string? recipient, CancellationToken cancellationToken)
    {
        var source = SessionReplies.SourceIp(context);
        var delay = provider.ReplyDelay(source);
        if (delay > TimeSpan.Zero) await Task.Delay(delay, cancellationToken).ConfigureAwait(false);

        var verdict = provider.Decide(stage, source, sender, recipient);
        if (verdict.Kind == VerdictKind.Drop) throw SessionReplies.Drop(context);
        if (verdict.Kind != VerdictKind.Refuse) return;

        var reply = provider.Render(verdict.Reply!, stage, source, sender, recipient);
        // A 421 means the service is closing the channel (RFC 5321 §3.8), so the session ends with it.
        throw new SmtpResponseException(SessionReplies.Prepare(context, reply), quit: reply.Code == 421);
    }
}
