using Hikyaku.Bounces.Rules;

namespace Hikyaku.Bounces.Messages;

/// <summary>Classifies one failed recipient from what a bounce says about it.</summary>
internal static class RecipientClassifier
{
    // The words about a recipient sit next to it; past this many characters bounce texts hold
    // notes, signatures and quoted mail, and scanning them costs more than it tells (text rules
    // are alternations tried at every position).
    private const int ContextLimit = 1_000;

    /// <param name="recipient">The address.</param>
    /// <param name="diagnostic">The remote server's words (Diagnostic-Code or the recipient's block of bounce text).</param>
    /// <param name="context">More bounce text about this recipient, used when the diagnostic alone decides nothing.</param>
    /// <param name="statusField">The DSN Status field, if any.</param>
    /// <param name="delayed">True for RFC 3464 <c>Action: delayed</c>: the message is still queued or timed out.</param>
    /// <param name="rules">The rule book to classify with.</param>
    public static BounceRecipient Classify(string recipient, string diagnostic, string context, string? statusField, bool delayed, RuleBook rules)
    {
        var reply = DiagnosticReader.ToReply(diagnostic.Length > ContextLimit ? diagnostic[..ContextLimit] : diagnostic, statusField);
        if (reply.Stage == SmtpStage.Unknown)
        {
            reply = reply with { Stage = DiagnosticReader.DetectStage(context.Length > ContextLimit ? context[..ContextLimit] : context) };
        }

        // The reply from its code on decides first; then the whole diagnostic (words before the
        // code, such as "server refused to talk to me"); then the MTA's text around it.
        var verdict = ReplyClassifier.Classify(reply, rules);
        if (verdict.RuleId is null)
        {
            verdict = Retry(reply, diagnostic, rules) ?? verdict;
        }

        if (verdict.RuleId is null && !string.Equals(context, diagnostic, StringComparison.Ordinal))
        {
            verdict = Retry(reply, context, rules) ?? verdict;
        }

        if (IsUnprovenUnknownUser(verdict, reply))
        {
            verdict = Classification.Of(BounceReason.Filtered, reply.StatusClass, verdict.Status, verdict.ReplyCode, verdict.RuleId + "+no-rcpt-stage", null);
        }

        if (delayed && verdict.RuleId is null)
        {
            // RFC 3464 2.3.3: "delayed" means not delivered yet; when nothing more specific is known
            // it is, for the sender, a delivery that is timing out, not a verdict on the address.
            verdict = Classification.Of(BounceReason.Expired, 4, verdict.Status, verdict.ReplyCode, verdict.RuleId, null);
        }

        return new BounceRecipient(recipient, verdict.Status, verdict.ReplyCode, DsnFields.Squash(diagnostic), verdict);
    }

    // RFC 5321 3.3: a missing mailbox is refused at RCPT, and RFC 3463 reports it as X.1.1 ("bad destination
    // mailbox address"). A bounce that quotes a remote server's refusal (a reply code) in unknown-user words but
    // names neither the RCPT stage nor an X.1.x status does not show that the mailbox is gone: filter gateways
    // and appliances that scan after DATA relay their verdicts in these words (the reference parser reads it the
    // same way, Sisimai lib/sisimai/reason/filtered.rb). Soft, so no reader is stopped on it.
    // The MTA's own words about its own mailboxes (no reply code: "User unknown", "no mailbox here") stay unknown-user.
    private static bool IsUnprovenUnknownUser(Classification verdict, SmtpReply reply) =>
        verdict.Reason == BounceReason.UserUnknown && verdict.Provider is null && reply.Code >= 500
        && reply.Stage == SmtpStage.Unknown && !IsAddressStatus(reply.EnhancedCode);

    private static bool IsAddressStatus(string? status) => status is { Length: >= 4 } s && s[1] == '.' && s[2] == '1' && s[3] == '.';

    private static Classification? Retry(SmtpReply reply, string text, RuleBook rules)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var squashed = DsnFields.Squash(text.AsSpan(0, Math.Min(text.Length, 3 * ContextLimit)), ContextLimit);
        if (squashed == reply.Text)
        {
            return null; // already tried
        }

        var again = ReplyClassifier.Classify(reply with { Text = squashed }, rules);
        return again.RuleId is null ? null : again;
    }
}
