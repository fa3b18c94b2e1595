using Hikyaku.Bounces.Rules;

namespace Hikyaku.Bounces;

/// <summary>
/// Classifies one SMTP reply, standards first:
/// 1. a provider's documented rule, where the provider gives a code or text its own meaning (Rules/*.json, each with its source);
/// 2. wording that says more than any status code can (a refused HELO, a rate limit, a bare LF, an inactive account);
/// 3. an enhanced status code that settles the reason by itself (RFC 3463 and the IANA registry, e.g. X.1.1, X.2.2);
/// 4. the wording many MTAs share, refining a code that only names the subject (X.7.1, X.0.0) or none;
/// 5. that code's own meaning, then the SMTP stage (RFC 5321 3.3: before RCPT nothing can be about the reader), then the bare reply code.
/// A rule whose reason cannot happen at the stage the reply answered is passed over. Pure; allocates only the result.
/// </summary>
public static class ReplyClassifier
{
    /// <summary>Classifies with the embedded rule book.</summary>
    public static Classification Classify(SmtpReply reply) => Classify(reply, RuleBook.Default);

    /// <summary>Classifies with the given rule book.</summary>
    public static Classification Classify(SmtpReply reply, RuleBook rules)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(rules);
        var cls = reply.StatusClass;
        if (cls == 2)
        {
            return Classification.Of(BounceReason.Delivered, cls, reply.EnhancedCode, reply.Code);
        }

        var providerRules = rules.ProviderRules;
        for (var i = 0; i < providerRules.Count; i++)
        {
            if (providerRules[i].Matches(reply) && !ImpossibleAt(providerRules[i].Reason, reply.Stage))
            {
                return FromRule(providerRules[i], reply, cls);
            }
        }

        var textRules = rules.TextRules;
        if (FirstText(textRules, reply, overridesStatus: true) is { } overriding)
        {
            return FromRule(overriding, reply, cls);
        }

        var meaning = rules.StatusCodes.Lookup(reply.EnhancedCode);
        if (meaning is { Decisive: true })
        {
            return Classification.Of(meaning.Reason, cls, reply.EnhancedCode, reply.Code, meaning.RuleId);
        }

        if (FirstText(textRules, reply, overridesStatus: false) is { } text)
        {
            return FromRule(text, reply, cls);
        }

        if (meaning is not null && meaning.Reason != BounceReason.Undefined && !ImpossibleAt(meaning.Reason, reply.Stage)
            && reply.Stage is not (SmtpStage.Connect or SmtpStage.Helo or SmtpStage.Mail))
        {
            return Classification.Of(meaning.Reason, cls, reply.EnhancedCode, reply.Code, meaning.RuleId);
        }

        return Classification.Of(Fallback(reply, rules), cls, reply.EnhancedCode, reply.Code);
    }

    private static ReplyRule? FirstText(IReadOnlyList<ReplyRule> textRules, SmtpReply reply, bool overridesStatus)
    {
        for (var i = 0; i < textRules.Count; i++)
        {
            var rule = textRules[i];
            if (rule.OverridesStatus == overridesStatus && rule.Matches(reply) && !ImpossibleAt(rule.Reason, reply.Stage))
            {
                return rule;
            }
        }

        return null;
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

    // RFC 5321 3.3: before RCPT no recipient has been named, so a refusal there cannot be about the
    // reader's mailbox, however the text reads ("Invalid domain name" answering HELO), and a queue timeout
    // reported with it is the consequence of that refusal, not its cause. Before DATA no content has been
    // sent, so spam, virus or form verdicts there are about the sender (an IP "blocked for spam"); before
    // MAIL not even a size has been declared. At MAIL only the sender is named: "null MX" there is the sender's domain (RFC 7505).
    private static bool ImpossibleAt(BounceReason reason, SmtpStage stage) => stage switch
    {
        SmtpStage.Connect or SmtpStage.Helo => IsAboutRecipient(reason) || IsAboutContent(reason)
            || reason is BounceReason.PolicyViolation or BounceReason.MesgTooBig or BounceReason.ExceedLimit,
        SmtpStage.Mail => IsAboutRecipient(reason) || IsAboutContent(reason) || reason is BounceReason.PolicyViolation or BounceReason.NotAccept,
        SmtpStage.Rcpt => IsAboutContent(reason),
        _ => false,
    };

    private static bool IsAboutRecipient(BounceReason reason) =>
        reason is BounceReason.UserUnknown or BounceReason.HostUnknown or BounceReason.MailboxFull or BounceReason.Suspend
            or BounceReason.HasMoved or BounceReason.Filtered or BounceReason.Expired;

    private static bool IsAboutContent(BounceReason reason) =>
        reason is BounceReason.SpamDetected or BounceReason.VirusDetected or BounceReason.ContentError or BounceReason.NotCompliantRfc;

    private static BounceReason Fallback(SmtpReply reply, RuleBook rules) => reply.Stage switch
    {
        // RFC 5321 3.1 / 4.3.2: a refusal before any envelope is a refusal of the client itself.
        SmtpStage.Connect or SmtpStage.Helo => BounceReason.Blocked,
        SmtpStage.Mail => BounceReason.Rejected,
        _ => rules.StatusCodes.LookupReplyCode(reply.Code) ?? BounceReason.Undefined,
    };
}
