using MimeKit;

namespace Hikyaku.Bounces.Messages;

/// <summary>
/// Complaints and opt-outs, which are not bounces: an Abuse Reporting Format report (RFC 5965,
/// multipart/report; report-type=feedback-report), Microsoft's JMRP report (the returned message
/// carries <c>X-HmXmrOriginalRecipient</c>), and Apple Mail's unsubscribe message sent to the
/// List-Unsubscribe mailto address (RFC 2369; marked <c>X-Apple-Unsubscribe: true</c>).
/// </summary>
internal static class FeedbackReader
{
    public static BounceReport? TryRead(MimeMessage message, MessageText text)
    {
        if (text.FeedbackReport is not null
            || (message.Body is MultipartReport report && string.Equals(report.ReportType, "feedback-report", StringComparison.OrdinalIgnoreCase)))
        {
            return Arf(text);
        }

        if (text.Original?.Headers["X-HmXmrOriginalRecipient"] is { } complainer)
        {
            return Feedback(complainer.Trim(), "abuse", "microsoft.jmrp", "microsoft");
        }

        if (string.Equals(message.Headers["X-Apple-Unsubscribe"]?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return Feedback(message.From.Mailboxes.FirstOrDefault()?.Address ?? string.Empty, "unsubscribe", "apple.unsubscribe", "apple");
        }

        return null;
    }

    private static BounceReport Arf(MessageText text)
    {
        var fields = DsnFields.ReadGroups(text.FeedbackReport ?? string.Empty).FirstOrDefault()
            ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        // RFC 5965 3.2: Original-Rcpt-To is optional; the returned original's To names the complainer otherwise.
        var recipient = fields.TryGetValue("Original-Rcpt-To", out var rcpt) ? DsnFields.Address(rcpt)
            : text.Original?.To.Mailboxes.FirstOrDefault()?.Address ?? string.Empty;
        var type = fields.TryGetValue("Feedback-Type", out var t) ? t.ToLowerInvariant() : "abuse";
        return Feedback(recipient, type, "rfc5965." + type, null);
    }

    private static BounceReport Feedback(string recipient, string type, string ruleId, string? provider)
    {
        var verdict = Classification.Of(BounceReason.Feedback, 0, null, 0, ruleId, provider);
        return new BounceReport(BounceKind.Feedback, [new BounceRecipient(recipient, null, 0, "feedback-type: " + type, verdict)]);
    }
}
