using System.Security.Cryptography;
using Hikyaku.Bounces;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Bounces;
using MimeKit;

namespace Hikyaku.Intake.Processing;

/// <summary>Turns the classifier's report into what the reader records: pure.</summary>
internal static class BounceNotices
{
    /// <summary>
    /// The notice for <paramref name="path"/>'s reader, or null when the report asks nothing of the reader
    /// (an auto-reply, a success DSN, ordinary mail, nothing recognisable). A delay warning and a challenge-response request
    /// are recorded as what they are, never as a failure: the reader's status does not change.
    /// </summary>
    public static BounceNotice? From(BounceReport report, ReturnPath path, string bounceId, string via)
    {
        if (report.Kind is not (BounceKind.Bounce or BounceKind.Feedback or BounceKind.Delayed or BounceKind.Challenge))
        {
            return null;
        }

        if (report.Recipients.Count == 0)
        {
            // A challenge names no failed recipient: the reader is the one the message went to.
            return report.Kind == BounceKind.Challenge
                ? new BounceNotice(bounceId, BounceKinds.Challenge, path.MessageKey, "challenge", null, 0, false, "not-a-bounce", null, string.Empty, via)
                : null;
        }

        // With VERP each message had one recipient, but a report may name others (a forward, an alias expansion).
        var recipient = report.Recipients.FirstOrDefault(r => string.Equals(r.Recipient, path.Email, StringComparison.OrdinalIgnoreCase))
            ?? report.Recipients[0];
        var c = recipient.Classification;
        var kind = report.Kind switch
        {
            BounceKind.Feedback => BounceKinds.Complaint,
            BounceKind.Delayed => BounceKinds.Delayed,
            BounceKind.Challenge => BounceKinds.Challenge,
            _ => BounceKinds.Bounce,
        };
        var diagnostic = recipient.DiagnosticText.Length > 1000 ? recipient.DiagnosticText[..1000] : recipient.DiagnosticText;
        return new BounceNotice(bounceId, kind, path.MessageKey, c.Reason.Name(), recipient.Status ?? c.Status, recipient.ReplyCode > 0 ? recipient.ReplyCode : c.ReplyCode,
            c.Hard, c.Action.Name(), c.RuleId, diagnostic, via);
    }

    /// <summary>
    /// The report's identity: a hash of its Message-ID and its body. The same report delivered twice, fetched again
    /// after a crash, or copied into a mailbox with more trace headers on top has the same id; two reports that
    /// share a Message-ID (some MTAs reuse or redact them) but say different things do not.
    /// </summary>
    public static string BounceId(MimeMessage message, ReadOnlySpan<byte> raw)
    {
        var body = raw.IndexOf("\r\n\r\n"u8) is var crlf and >= 0 ? raw[(crlf + 4)..] : raw.IndexOf("\n\n"u8) is var lf and >= 0 ? raw[(lf + 2)..] : raw;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes((message.MessageId ?? string.Empty) + "\n"));
        hash.AppendData(body);
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }
}
