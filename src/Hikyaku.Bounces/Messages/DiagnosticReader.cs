using System.Text.RegularExpressions;

namespace Hikyaku.Bounces.Messages;

/// <summary>
/// Turns the remote server's words as a bounce quotes them ("host mx[192.0.2.1] said: 550 5.1.1
/// ... (in reply to RCPT TO command)") into an <see cref="SmtpReply"/>: the reply code, the
/// enhanced code, the text from the reply on, and the SMTP stage the bounce names.
/// </summary>
internal static partial class DiagnosticReader
{
    /// <summary>Builds the reply; <paramref name="statusField"/> (the DSN Status field) fills in a missing or vaguer enhanced code.</summary>
    public static SmtpReply ToReply(string diagnostic, string? statusField)
    {
        var text = DsnFields.Squash(diagnostic);
        var stage = DetectStage(text);
        var reply = ReplyStart().Match(text);
        var code = reply.Success ? int.Parse(reply.Groups["code"].ValueSpan) : 0;
        var rest = reply.Success ? text[(reply.Index + reply.Length)..] : text;
        var enhanced = Merge(StatusCodes.FindEnhanced(rest) ?? StatusCodes.FindEnhanced(text), statusField);
        var leading = StatusCodes.LeadingEnhanced(rest);
        if (leading is { } l)
        {
            rest = rest[l.Length..];
        }

        // Multi-line replies quoted on one line keep their "550-5.7.1" prefixes (RFC 5321 4.2.1); drop them.
        rest = Continuation().Replace(rest, string.Empty);

        return new SmtpReply(code, enhanced, rest.Trim(), stage);
    }

    /// <summary>The stage a bounce text names ("in reply to RCPT TO command", "after end of data", ">>> DATA").</summary>
    public static SmtpStage DetectStage(string text)
    {
        // qmail-remote's own words for a refusal of its HELO and of its MAIL FROM.
        if (text.Contains("my name was rejected", StringComparison.OrdinalIgnoreCase))
        {
            return SmtpStage.Helo;
        }

        if (text.Contains("but sender was rejected", StringComparison.OrdinalIgnoreCase))
        {
            return SmtpStage.Mail;
        }

        var m = Stage().Match(text);
        if (!m.Success)
        {
            return SmtpStage.Unknown;
        }

        var word = m.Groups["cmd"].Value.ToLowerInvariant();
        return word switch
        {
            "rcpt" => SmtpStage.Rcpt,
            "mail" => SmtpStage.Mail,
            "helo" or "ehlo" => SmtpStage.Helo,
            "connect" or "initial connection" or "greeting" or "banner" => SmtpStage.Connect,
            _ => SmtpStage.Data,
        };
    }

    // The DSN Status field is the reporting MTA's verdict (RFC 3464 2.3.4): it wins when the quoted
    // reply has no code, only x.0.0, or a different class; otherwise the remote server's code is more specific.
    private static string? Merge(string? quoted, string? statusField)
    {
        if (!IsValidStatus(statusField))
        {
            return quoted;
        }

        if (quoted is null || quoted[0] != statusField![0] || (quoted.EndsWith(".0.0", StringComparison.Ordinal) && !statusField.EndsWith(".0.0", StringComparison.Ordinal)))
        {
            return statusField;
        }

        return quoted;
    }

    private static bool IsValidStatus(string? status) =>
        status is { Length: >= 5 } s && s[0] is '4' or '5' && s[1] == '.' && StatusCodes.FindEnhanced(s) == s;

    [GeneratedRegex(@"\s[245][0-9]{2}(?:-(?:[245]\.[0-9]{1,3}\.[0-9]{1,3})?|\s[245]\.[0-9]{1,3}\.[0-9]{1,3})(?=\s)", RegexOptions.CultureInvariant)]
    private static partial Regex Continuation();

    // Postfix "(in reply to RCPT TO command)", Exim "error from remote mail server after RCPT TO:",
    // Sendmail ">>> DATA" transcripts, "after end of data", qmail-remote's "most progress was RCPT TO response",
    // "SMTP:RCPT host ..." and Yahoo's "[RCPT_TO]".
    [GeneratedRegex(@"(?:(?:in reply to|after|while (?:sending|talking)[^.]{0,40}?|>>>|most progress was|\bSMTP:)\s*|SMTP command[:\s-]*|\[)(?:the\s+)?(?<cmd>RCPT|MAIL|DATA|end of data|end of message|message body|HELO|EHLO|connect|initial connection|greeting|banner)(?:_(?:TO|FROM))?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Stage();

    // The quoted reply: a code at a line/sentence start or after "said:", "<<<", "smtp;" or a colon.
    [GeneratedRegex(@"(?:^|said:|<<<|smtp;|:|\)|\]|\s)\s*(?<code>[245][0-9][0-9])(?![0-9.])(?:[ \-]+|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReplyStart();
}
