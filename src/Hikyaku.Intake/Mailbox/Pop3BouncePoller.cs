using Hikyaku.Intake.Processing;
using MailKit.Net.Pop3;
using Microsoft.Extensions.Logging;

namespace Hikyaku.Intake.Mailbox;

/// <summary>
/// Polls a bounce mailbox over POP3 (<c>Bounces:Pop3</c>). A report that was recorded (or needs nothing recording) is
/// deleted when the session ends; one that names no return path of ours, or is not a message, stays and is skipped
/// by its UIDL from then on (POP3 has no flags to mark it); one the cluster could not take stays and is read again.
/// </summary>
public sealed class Pop3BouncePoller(BounceOptions options, BounceProcessor processor, TimeProvider time, ILogger<Pop3BouncePoller> logger)
    : MailboxPoller(options.Pop3, "POP3", time, logger)
{
    private readonly HashSet<string> _setAside = new(StringComparer.Ordinal);

    private Pop3Options Pop3 => options.Pop3;

    public override async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        using var client = new Pop3Client();
        await client.ConnectAsync(Pop3.Host!, Pop3.EffectivePort, Security, cancellationToken);
        await client.AuthenticateAsync(Pop3.Username!, Pop3.Password!, cancellationToken);
        var count = await client.GetMessageCountAsync(cancellationToken);
        var uids = count > 0 && client.Capabilities.HasFlag(Pop3Capabilities.UIDL) ? await client.GetMessageUidsAsync(cancellationToken) : null;
        var processed = 0;
        var setAside = 0;
        for (var i = 0; i < count; i++)
        {
            var uid = uids?[i];
            if (uid is not null && _setAside.Contains(uid))
            {
                continue;
            }

            using var raw = new MemoryStream();
            await (await client.GetStreamAsync(i, cancellationToken: cancellationToken)).CopyToAsync(raw, cancellationToken);
            var outcome = await processor.ProcessAsync(raw.GetBuffer().AsMemory(0, (int)raw.Length), envelope: null, "pop3", cancellationToken);
            if (outcome is IntakeOutcome.NoReturnPath or IntakeOutcome.Unreadable)
            {
                if (uid is not null)
                {
                    _setAside.Add(uid);
                }

                setAside++;
            }
            else
            {
                // Marked now, removed when the session ends cleanly (RFC 1939 UPDATE state).
                await client.DeleteMessageAsync(i, cancellationToken);
                processed++;
            }
        }

        await client.DisconnectAsync(quit: true, cancellationToken);
        if (processed + setAside > 0)
        {
            IntakeLog.Polled(logger, "POP3", Pop3.ToString(), processed, setAside);
        }
    }
}
