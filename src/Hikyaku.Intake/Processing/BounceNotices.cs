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
    /// (an auto-reply, a success DSN, nothing recognisable).
    /// </summary>
    public static BounceNotice? From(BounceReport report, ReturnPath path, string bounceId, string via)
    {
        if (report.Kind is not (BounceKind.Bounce or BounceKind.Feedback) || report.Recipients.Count == 0)
        {
            return null;
        }

        // With VERP each message had one recipient, but a report may name others (a forward, an alias expansion).
        var recipient = report.Recipients.FirstOrDefault(r => string.Equals(r.Recipient, path.Email, StringComparison.OrdinalIgnoreCase))
            ?? report.Recipients[0];
        var c = recipient.Classification;
        var kind = report.Kind == BounceKind.Feedback ? BounceKinds.Complaint : BounceKinds.Bounce;
        var diagnostic = recipient.DiagnosticText.Length > 1000 ? recipient.DiagnosticText[..1000] : recipient.DiagnosticText;
        return new BounceNotice(bounceId, kind, path.MessageKey, c.Reason.Name(), recipient.Status ?? c.Status, recipient.ReplyCode > 0 ? recipient.ReplyCode : c.ReplyCode,
            c.Hard, c.Action.Name(), c.RuleId, diagnostic, via);
    }

    /// <summary>
    /// The report's identity: its Message-ID (unique per message, RFC 5322 §3.6.4), else a hash of its bytes. The
    /// same report delivered twice, or fetched again after a crash, has the same id.
    /// </summary>
    public static string BounceId(MimeMessage message, ReadOnlySpan<byte> raw) =>
        message.MessageId is { Length: > 0 } id ? "mid:" + id : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(raw));
}
