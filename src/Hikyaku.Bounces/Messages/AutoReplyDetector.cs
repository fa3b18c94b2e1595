using System.Text.RegularExpressions;
using MimeKit;

namespace Hikyaku.Bounces.Messages;

/// <summary>Tells bounces and automatic replies (RFC 3834) apart by their headers.</summary>
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
    /// RFC 3834 section 5: <c>Auto-Submitted: auto-replied</c>; and the headers auto-responders
    /// commonly add instead (<c>X-Autoreply</c>, <c>X-Autorespond</c>, <c>Precedence: auto_reply</c>),
    /// or an "Auto:" / out-of-office subject (RFC 3834 3.1.5 suggests the "Auto:" prefix).
    /// </summary>
    public static bool IsAutoReply(MimeMessage message)
    {
        var auto = message.Headers["Auto-Submitted"];
        if (auto is not null && auto.Trim().StartsWith("auto-replied", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (message.Headers.Contains("X-Autoreply") || message.Headers.Contains("X-Autorespond") || message.Headers.Contains("X-Autoresponse"))
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

    [GeneratedRegex(@"^(?:mailer-daemon|postmaster|mail-daemon|mail\.delivery\.system|maildelivery|bounces?|mdaemon|mmdf|double-bounce)(?:@|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DaemonSender();

    [GeneratedRegex(@"undeliver|delivery (?:status|failure|failed|notification|report|problem)|returned mail|failure notice|mail delivery (?:failed|system)|non[- ]?delivery|could not be delivered|not delivered|mail system error|delivery has failed|error sending|rejected", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FailureSubject();

    [GeneratedRegex(@"^\s*(?:auto:|automatic reply|auto[- ]?reply|auto[- ]?response|out of (?:the )?office|vacation|away from (?:the )?office|自動応答|自動返信|不在)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AutoSubject();
}
