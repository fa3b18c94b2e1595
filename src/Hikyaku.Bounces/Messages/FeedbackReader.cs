using MimeKit;

namespace Hikyaku.Bounces.Messages;

/// <summary>
/// Reads an Abuse Reporting Format complaint (RFC 5965): a multipart/report with
/// report-type=feedback-report and a message/feedback-report part. A complaint is not a bounce.
/// </summary>
internal static class FeedbackReader
{
    public static bool IsFeedback(MimeMessage message, MessageText text) =>
        text.FeedbackReport is not null
        || (message.Body is MultipartReport report && string.Equals(report.ReportType, "feedback-report", StringComparison.OrdinalIgnoreCase));

    public static BounceReport Read(MessageText text)
    {
        var fields = DsnFields.ReadGroups(text.FeedbackReport ?? string.Empty).FirstOrDefault()
            ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        // RFC 5965 3.2: Original-Rcpt-To is optional; the returned original's To names the complainer otherwise.
        var recipient = fields.TryGetValue("Original-Rcpt-To", out var rcpt) ? DsnFields.Address(rcpt)
            : text.Original?.To.Mailboxes.FirstOrDefault()?.Address ?? string.Empty;
        var type = fields.TryGetValue("Feedback-Type", out var t) ? t : "abuse";
        var verdict = Classification.Of(BounceReason.Feedback, 0, null, 0, "rfc5965." + type.ToLowerInvariant(), null);
        return new BounceReport(BounceKind.Feedback, [new BounceRecipient(recipient, null, 0, "feedback-type: " + type, verdict)]);
    }
}
