using System.Buffers;
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

        var m = FindStage(text);
        if (m is null)
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

    // The leftmost match of Stage(). Every match starts with one of its leading words, so in ASCII text
    // (where ignoring case equates no other characters with their letters) the pattern is tried only where
    // one occurs, anchored there, in order: the first that matches is the match a scan of every position
    // finds, without trying the pattern at every 'a', 'i', 's' and 'w' of the text. Diagnostics and bounce
    // texts are read this way two or three times a recipient; it was the costliest regex of a bounce.
    private static Match? FindStage(string text)
    {
        if (!System.Text.Ascii.IsValid(text))
        {
            return Stage().Match(text) is { Success: true } any ? any : null;
        }

        for (var at = NextStageStart(text, 0); at >= 0; at = NextStageStart(text, at + 1))
        {
            if (StageAt().Match(text, at) is { Success: true } m)
            {
                return m;
            }
        }

        return null;
    }

    // The next place one of Stage()'s leading words starts. The one-character "[" is searched for apart:
    // in the same multi-string search it would make every position a candidate.
    private static int NextStageStart(string text, int from)
    {
        var rest = text.AsSpan(from);
        var word = rest.IndexOfAny(StageStartWords);
        var bracket = rest.IndexOf('[');
        var first = word < 0 ? bracket : bracket < 0 ? word : Math.Min(word, bracket);
        return first < 0 ? -1 : from + first;
    }

    // The literal start of each alternative of Stage()'s leading group, but "[".
    private static readonly SearchValues<string> StageStartWords = SearchValues.Create(
        ["in reply to", "after", "while sending", "while talking", ">>>", "most progress was", "SMTP:", "SMTP command"], StringComparison.OrdinalIgnoreCase);

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
    private const string StagePattern = @"(?:(?:in reply to|after|while (?:sending|talking)[^.]{0,40}?|>>>|most progress was|\bSMTP:)\s*|SMTP command[:\s-]*|\[)(?:the\s+)?(?<cmd>RCPT|MAIL|DATA|end of data|end of message|message body|HELO|EHLO|connect|initial connection|greeting|banner)(?:_(?:TO|FROM))?\b";

    [GeneratedRegex(StagePattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Stage();

    // Stage() anchored where the search starts.
    [GeneratedRegex(@"\G" + StagePattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StageAt();

    // The quoted reply: a code at a line/sentence start or after "said:", "<<<", "smtp;" or a colon.
    [GeneratedRegex(@"(?:^|said:|<<<|smtp;|:|\)|\]|\s)\s*(?<code>[245][0-9][0-9])(?![0-9.])(?:[ \-]+|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReplyStart();
}
