using System.Buffers;
using Hikyaku.Intake.Processing;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Hikyaku.Intake.Smtp;

/// <summary>
/// Processes a report once its data is in, for each of its (already checked) recipients. A report is accepted
/// (250) once recorded, or when there is nothing to record; if the cluster could not take it, the answer is a
/// temporary 451 so the sending MTA keeps it and tries again (RFC 5321 §4.5.4.1) — recording is idempotent.
/// </summary>
internal sealed class BounceMessageStore(BounceProcessor processor) : IMessageStore
{
    private static readonly SmtpResponse Accepted = new(SmtpReplyCode.Ok, "2.0.0 report accepted");
    private static readonly SmtpResponse TryLater = new(SmtpReplyCode.Aborted, "4.3.0 cannot record the report now, try again later");

    public async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var raw = buffer.ToArray();
        try
        {
            foreach (var to in transaction.To)
            {
                if (processor.TryOpenRecipient(to.AsAddress(), out var path, out _))
                {
                    await processor.ProcessAsync(raw, path, "smtp", cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Logged by the processor.
            return TryLater;
        }

        return Accepted;
    }
}
