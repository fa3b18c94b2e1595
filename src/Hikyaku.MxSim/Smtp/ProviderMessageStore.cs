using System.Buffers;
using Hikyaku.MxSim.Journal;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Hikyaku.MxSim.Smtp;

/// <summary>
/// Answers the end of DATA: refuses there when the provider blocks after DATA (Gmail, iCloud),
/// otherwise journals one accepted entry per recipient. Only the header block is read.
/// </summary>
internal sealed class ProviderMessageStore(SimulatedProvider provider) : IMessageStore
{
    static readonly SmtpResponse Queued = new(SmtpReplyCode.Ok, "2.0.0 OK queued");

    public async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var source = SessionReplies.SourceIp(context);
        var sender = transaction.From.AsAddress();
        var delay = provider.ReplyDelay(source);
        if (delay > TimeSpan.Zero) await Task.Delay(delay, cancellationToken).ConfigureAwait(false);

        var verdict = provider.Decide(SmtpStage.Data, source, sender, recipient: null);
        if (verdict.Kind == VerdictKind.Drop) throw SessionReplies.Drop(context);
        if (verdict.Kind == VerdictKind.Refuse)
        {
            // One reply answers the whole transaction; each recipient's refusal is journalled.
            var replies = transaction.To.Select(to => provider.Render(verdict.Reply!, SmtpStage.Data, source, sender, to.AsAddress())).ToList();
            return SessionReplies.Prepare(context, replies[^1]);
        }

        var (messageId, subject) = HeaderScanner.Scan(buffer);
        var content = provider.Journal.KeepContent ? buffer.ToArray() : null;
        var paths = (context.Pipe as SimulatorPipe)?.ForwardPaths;
        foreach (var to in transaction.To)
        {
            var recipient = to.AsAddress();
            provider.Accepted(source, sender, recipient, messageId, subject, buffer.Length, content, paths?.Take(recipient));
        }
        return Queued;
    }
}
