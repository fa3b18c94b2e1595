namespace Hikyaku.Bounces.Messages;

/// <summary>Classifies one failed recipient from what a bounce says about it.</summary>
internal static class RecipientClassifier
{
    /// <param name="recipient">The address.</param>
    /// <param name="diagnostic">The remote server's words (Diagnostic-Code or the recipient's block of bounce text).</param>
    /// <param name="context">More bounce text about this recipient, used when the diagnostic alone decides nothing.</param>
    /// <param name="statusField">The DSN Status field, if any.</param>
    /// <param name="delayed">True for RFC 3464 <c>Action: delayed</c>: the message is still queued or timed out.</param>
    public static BounceRecipient Classify(string recipient, string diagnostic, string context, string? statusField, bool delayed)
    {
        var reply = DiagnosticReader.ToReply(diagnostic, statusField);
        if (reply.Stage == SmtpStage.Unknown)
        {
            reply = reply with { Stage = DiagnosticReader.DetectStage(context) };
        }

        var verdict = ReplyClassifier.Classify(reply);
        if (verdict.RuleId is null && context.Length > 0 && !ReferenceEquals(context, diagnostic))
        {
            // The quoted reply decided nothing: let the surrounding text (the MTA's own words) speak.
            var wider = ReplyClassifier.Classify(reply with { Text = DsnFields.Squash(context) });
            if (wider.RuleId is not null)
            {
                verdict = wider;
            }
        }

        if (delayed && verdict.Provider is null && verdict.Reason is not BounceReason.Delivered)
        {
            // RFC 3464 2.3.3: "delayed" means not delivered yet; for the sender it is a timeout, not a verdict on the address.
            verdict = Classification.Of(BounceReason.Expired, 4, verdict.Status, verdict.ReplyCode, verdict.RuleId, null);
        }

        return new BounceRecipient(recipient, verdict.Status, verdict.ReplyCode, DsnFields.Squash(diagnostic), verdict);
    }
}
