using System.Text.RegularExpressions;
using MimeKit;

namespace Hikyaku.Bounces.Messages;

/// <summary>
/// Tells bounces from the other mail that reaches a return path: automatic replies (RFC 3834) in any
/// language, challenge-response requests, and delay warnings that are not RFC 3464 reports.
/// </summary>
internal static partial class AutoReplyDetector
{
    /// <summary>
    /// Signs of a delivery failure notice: a failed-recipients header (Exim), a mailer-daemon or
    /// postmaster sender, or a delivery-failure subject. Needed because some MTAs mark their bounces
    /// <c>Auto-Submitted: auto-replied</c> too.
    /// </summary>
    public static bool LooksLikeBounce(MimeMessage message)
    {
        if (message.Headers.Contains("X-Failed-Recipients"))
        {
            return true;
        }

        var from = message.From.Mailboxes.FirstOrDefault()?.Address ?? string.Empty;
        return DaemonSender().IsMatch(from) || FailureSubject().IsMatch(message.Subject ?? string.Empty);
    }

    /// <summary>
    /// A failure notice by its words when its headers do not say: a quoted SMTP reply ("550 5.1.1",
    /// "550-5.7.1") or the phrases MTAs open their bounce texts with.
    /// </summary>
    public static bool ReadsLikeBounce(string errorText) =>
        QuotedReply().IsMatch(errorText) || FailureText().IsMatch(errorText);

    /// <summary>
    /// RFC 3834 section 5: <c>Auto-Submitted: auto-replied</c>; and the headers auto-responders
    /// commonly add instead (<c>X-Autoreply</c>, <c>X-Autorespond</c>, <c>Precedence: auto_reply</c>),
    /// or an automatic-reply subject in one of the languages readers write in (RFC 3834 3.1.5
    /// suggests the "Auto:" prefix; mail programs translate it).
    /// </summary>
    public static bool IsAutoReply(MimeMessage message)
    {
        var auto = message.Headers["Auto-Submitted"];
        if (auto is not null && auto.Trim().StartsWith("auto-replied", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (message.Headers.Contains("X-Autoreply") || message.Headers.Contains("X-Autorespond") || message.Headers.Contains("X-Autoresponse")
            || message.Headers.Contains("X-Vacation"))
        {
            return true;
        }

        var precedence = message.Headers["Precedence"];
        if (precedence is not null && precedence.Contains("auto_reply", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return AutoSubject().IsMatch(message.Subject ?? string.Empty);
    }

    /// <summary>
    /// A challenge-response request: the reader's filter holds our message until a person confirms it
    /// (Boxbe, Bluebottle, SpamArrest, a "whitelist" or "verify you are human" request). Shown to the
    /// operator, never a failure: the address is alive and nothing refused the sending IP.
    /// </summary>
    public static bool IsChallenge(MimeMessage message, string text)
    {
        if (message.Headers.Contains("X-Boxbe-Challenge") || message.Headers.Contains("X-Spamarrest-noauth") || message.Headers.Contains("X-Challenge"))
        {
            return true;
        }

        var from = message.From.Mailboxes.FirstOrDefault()?.Address ?? string.Empty;
        return ChallengeSender().IsMatch(from) || ChallengeText().IsMatch(message.Subject ?? string.Empty) || ChallengeText().IsMatch(text);
    }

    /// <summary>
    /// A delay warning sent as plain text (Exim's "Warning: message ... delayed", Sendmail's "Warning:
    /// could not send message for past 4 hours", the "THIS IS A WARNING MESSAGE ONLY" banner): the
    /// message is still queued, so the reader waits.
    /// </summary>
    public static bool IsDelayWarning(MimeMessage message, string text) =>
        DelaySubject().IsMatch(message.Subject ?? string.Empty) || DelayText().IsMatch(text);

    [GeneratedRegex(@"^(?:mailer-daemon|postmaster|mail-daemon|mail\.delivery\.system|maildelivery|bounces?|mdaemon|mmdf|double-bounce)(?:@|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DaemonSender();

    [GeneratedRegex(@"undeliver|delivery (?:status|failure|failed|notification|report|problem)|returned mail|failure notice|mail delivery (?:failed|system)|non[- ]?delivery|could not be delivered|not delivered|mail system error|delivery has failed|error sending|rejected|unzustellbar|non remis|配信(?:エラー|不能|失敗)|返送|loop alert|are not (?:a )?member", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FailureSubject();

    [GeneratedRegex(@"(?<![0-9])[45][0-9][0-9][ \-]+[45]\.[0-9]{1,3}\.[0-9]{1,3}(?![0-9])|\(#[45]\.[0-9]\.[0-9]\)", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedReply();

    [GeneratedRegex(@"could not be delivered|was not delivered|couldn't be delivered|delivery (?:has )?failed|undeliverable|permanent (?:fatal )?error|following address(?:es)? failed|unable to deliver|returned to sender|delivery to the following recipients? failed|not listed in (?:domino directory|public name)|mail system at host|mailer-daemon|no mailbox here by that name|host .{1,80} said:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FailureText();

    // English, Japanese, German, French, Spanish, Italian, Dutch, Portuguese, Polish, Czech, Swedish,
    // Danish/Norwegian, Russian, Chinese and Korean forms of "automatic reply" and "out of office".
    [GeneratedRegex(@"^\s*[\[【(（]?\s*(?:auto:|automatic reply|auto[- ]?reply|auto[- ]?response|out of (?:the )?office|vacation|away from (?:the )?office|on leave|自動応答|自動返信|不在|automatische antwort|abwesenheit|abwesend|r[ée]ponse automatique|absence|absent|respuesta autom[áa]tica|fuera de la oficina|ausente|risposta automatica|fuori ufficio|automatisch antwoord|afwezig|resposta autom[áa]tica|fora do escrit[óo]rio|automatyczna odpowied[źz]|odpowied[źz] automatyczna|poza biurem|nieobecno[śs][ćc]|automatick[áa] odpov[ěe][ďd]|automatiskt svar|automatisk svar|fr[åa]nvaro|автоответ|автоматический ответ|вне офиса|自动回复|自動回覆|자동 응답|부재)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AutoSubject();

    [GeneratedRegex(@"@(?:[a-z0-9-]+\.)*(?:boxbe\.com|bluebottle\.com|spamarrest\.com|mailblocks\.com|sendio\.com|choicemail\.com|pc-mail\.cc)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ChallengeSender();

    [GeneratedRegex(@"boxbe|bluebottle|spamarrest|spam arrest|challenge[- ]response|whitelist request|approved senders? list|(?:verify|confirm) (?:that )?you(?:'re| are) (?:a )?(?:human|real|not a (?:robot|spammer))|please (?:verify|confirm) (?:your (?:e-?mail|address|message)|that you sent)|(?:verification|confirmation) (?:is )?required (?:before|to deliver)|(?:awaiting|pending) (?:your )?(?:verification|confirmation)|added to (?:my|the recipient's) (?:whitelist|guest list|approved)|sender verification request", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ChallengeText();

    [GeneratedRegex(@"^\s*(?:warning: (?:could not send message for past|message .{1,80} delayed)|delayed mail|delivery (?:status notification \(delay\)|delayed|notification: delivery has been delayed)|mail delivery delayed|message delayed|delivery delay notification|zustellung verz[öo]gert|distribution diff[ée]r[ée]e)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DelaySubject();

    [GeneratedRegex(@"this is a warning (?:message )?only|you do not need to resend your message|no action is required on your part|has not yet been delivered to one or more of its recipients|will (?:continue to )?(?:re)?try (?:to deliver|delivering)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DelayText();
}
