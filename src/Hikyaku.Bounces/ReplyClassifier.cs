using Hikyaku.Bounces.Rules;

namespace Hikyaku.Bounces;

/// <summary>
/// Classifies one SMTP reply. The order follows how specific each signal is:
/// 1. a provider's documented rule (it names the provider and may depend on the stage),
/// 2. an enhanced status code that settles the reason by itself (RFC 3463, e.g. X.1.1),
/// 3. generic MTA text patterns,
/// 4. the stage: a refusal at connect or HELO is a block of the sender, at MAIL a rejected sender,
/// 5. an enhanced code that only hints (X.7.1, X.0.0), then the bare reply code (RFC 5321).
/// Pure and allocation-free apart from the result.
/// </summary>
public static class ReplyClassifier
{
    /// <summary>Classifies with the embedded rule book.</summary>
    public static Classification Classify(SmtpReply reply) => Classify(reply, RuleBook.Default);

    /// <summary>Classifies with the given rule book.</summary>
    public static Classification Classify(SmtpReply reply, RuleBook rules)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var cls = reply.StatusClass;
        if (cls == 2)
        {
            return Classification.Of(BounceReason.Delivered, cls, reply.EnhancedCode, reply.Code);
        }

        var providerRules = rules.ProviderRules;
        for (var i = 0; i < providerRules.Count; i++)
        {
            if (providerRules[i].Matches(reply))
            {
                return FromRule(providerRules[i], reply, cls);
            }
        }

        var meaning = rules.StatusCodes.Lookup(reply.EnhancedCode);
        if (meaning is { Decisive: true })
        {
            return Classification.Of(meaning.Reason, cls, reply.EnhancedCode, reply.Code, meaning.RuleId);
        }

        var textRules = rules.TextRules;
        for (var i = 0; i < textRules.Count; i++)
        {
            if (textRules[i].Matches(reply) && !NamesRecipientTooEarly(textRules[i].Reason, reply.Stage))
            {
                return FromRule(textRules[i], reply, cls);
            }
        }

        if (meaning is not null && meaning.Reason != BounceReason.Undefined && reply.Stage is not (SmtpStage.Connect or SmtpStage.Helo or SmtpStage.Mail))
        {
            return Classification.Of(meaning.Reason, cls, reply.EnhancedCode, reply.Code, meaning.RuleId);
        }

        return Classification.Of(Fallback(reply, rules), cls, reply.EnhancedCode, reply.Code);
    }

    private static Classification FromRule(ReplyRule rule, SmtpReply reply, int cls)
    {
        // RFC 5321 3.3: recipients are accepted or refused at RCPT. "Unknown user" answered after
        // DATA, for an address RCPT accepted, is a filter refusing this sender, not a missing mailbox.
        // RFC 3463 X.4.x: a name lookup that failed only for now is a network problem, not a missing host.
        var reason = rule.Reason switch
        {
            BounceReason.UserUnknown when reply.Stage == SmtpStage.Data && rule.Provider == "generic" => BounceReason.Filtered,
            BounceReason.HostUnknown when cls == 4 => BounceReason.NetworkError,
            _ => rule.Reason,
        };
        return Classification.Of(reason, cls, reply.EnhancedCode, reply.Code, rule.Id,
            rule.Provider == "generic" ? null : rule.Provider, rule.Action);
    }

    // Before RCPT no recipient has been named (RFC 5321 3.3), so a refusal there cannot be about
    // the reader's mailbox, however the text reads ("Invalid domain name" answering HELO); and a
    // queue timeout reported with it is the consequence of that refusal, not its cause.
    private static bool NamesRecipientTooEarly(BounceReason reason, SmtpStage stage) =>
        stage is SmtpStage.Connect or SmtpStage.Helo or SmtpStage.Mail
        && reason is BounceReason.UserUnknown or BounceReason.HostUnknown or BounceReason.MailboxFull
            or BounceReason.Suspend or BounceReason.HasMoved or BounceReason.Filtered or BounceReason.Expired;

    private static BounceReason Fallback(SmtpReply reply, RuleBook rules) => reply.Stage switch
    {
        // RFC 5321 3.1 / 4.3.2: a refusal before any envelope is a refusal of the client itself.
        SmtpStage.Connect or SmtpStage.Helo => BounceReason.Blocked,
        SmtpStage.Mail => BounceReason.Rejected,
        _ => rules.StatusCodes.LookupReplyCode(reply.Code) ?? BounceReason.Undefined,
    };
}
