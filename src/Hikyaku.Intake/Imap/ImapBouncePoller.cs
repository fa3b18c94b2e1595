using Hikyaku.Intake.Mailbox;
using Hikyaku.Intake.Processing;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Logging;

namespace Hikyaku.Intake.Imap;

/// <summary>
/// Polls the mailbox the bounce domain delivers into (<c>Bounces:Imap</c>). A report that was recorded (or needs
/// nothing recording) is deleted; one that names no return path of ours, or is not a message, is set aside with
/// the keyword <see cref="SetAsideKeyword"/> (and marked seen) so an operator can look at it and it is not read
/// again; one the cluster could not take stays as it was and is read again at the next poll.
/// </summary>
/// <remarks>Several silos may poll the same mailbox: each report is recorded once whoever reads it first.</remarks>
public sealed class ImapBouncePoller(BounceOptions options, BounceProcessor processor, TimeProvider time, ILogger<ImapBouncePoller> logger)
    : MailboxPoller(options.Imap, "IMAP", time, logger)
{
    /// <summary>The IMAP keyword (RFC 3501 §2.3.2) on reports that were set aside.</summary>
    public const string SetAsideKeyword = "$HikyakuSetAside";

    private ImapOptions Imap => options.Imap;

    /// <summary>Reads the mailbox once: every report not yet deleted nor set aside.</summary>
    public override async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        using var client = new ImapClient();
        await client.ConnectAsync(Imap.Host!, Imap.EffectivePort, Security, cancellationToken);
        await client.AuthenticateAsync(Imap.Username!, Imap.Password!, cancellationToken);
        var folder = await client.GetFolderAsync(Imap.Folder, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        var uids = await folder.SearchAsync(SearchQuery.NotDeleted.And(SearchQuery.NotKeyword(SetAsideKeyword)), cancellationToken);
        var done = new List<UniqueId>();
        var setAside = 0;
        try
        {
            foreach (var uid in uids)
            {
                using var raw = new MemoryStream();
                await (await folder.GetStreamAsync(uid, cancellationToken)).CopyToAsync(raw, cancellationToken);
                var outcome = await processor.ProcessAsync(raw.GetBuffer().AsMemory(0, (int)raw.Length), envelope: null, "imap", cancellationToken);
                if (outcome is IntakeOutcome.NoReturnPath or IntakeOutcome.Unreadable)
                {
                    await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen, [SetAsideKeyword]) { Silent = true }, cancellationToken);
                    setAside++;
                }
                else
                {
                    await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true }, cancellationToken);
                    done.Add(uid);
                }
            }
        }
        finally
        {
            // What was recorded goes even when a later report failed (it is read again at the next poll).
            if (done.Count > 0)
            {
                if (client.Capabilities.HasFlag(ImapCapabilities.UidPlus))
                {
                    await folder.ExpungeAsync(done, CancellationToken.None);
                }
                else
                {
                    await folder.ExpungeAsync(CancellationToken.None);
                }
            }
        }

        if (uids.Count > 0)
        {
            IntakeLog.Polled(logger, "IMAP", Imap.ToString(), done.Count, setAside);
        }

        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
