using System.Text;
using System.Text.RegularExpressions;

namespace Hikyaku.Bounces;

/// <summary>
/// One SMTP reply as the sender saw it: the three-digit code (RFC 5321 section 4.2), the enhanced
/// status code when the server sent one (RFC 2034 / RFC 3463, e.g. <c>5.1.1</c>), the text, and the
/// command it answered.
/// </summary>
/// <param name="Code">Reply code, 0 when not known.</param>
/// <param name="EnhancedCode">Enhanced status code such as <c>5.7.1</c>, or null.</param>
/// <param name="Text">Reply text without the codes; lines of a multi-line reply joined by a space.</param>
/// <param name="Stage">The command the reply answered.</param>
public sealed partial record SmtpReply(int Code, string? EnhancedCode, string Text, SmtpStage Stage = SmtpStage.Unknown)
{
    /// <summary>The class digit (2, 4 or 5) from the enhanced code, else from the reply code; 0 when neither.</summary>
    public int StatusClass => EnhancedCode is { Length: > 0 } e && e[0] is >= '2' and <= '5' ? e[0] - '0' : Code / 100;

    /// <summary>
    /// Parses a raw reply such as <c>550 5.1.1 &lt;x@y&gt;: user unknown</c>, or a multi-line
    /// reply (<c>550-5.7.1 ...</c> lines ending with <c>550 5.7.1 ...</c>). Text without a code is
    /// kept as the text with code 0. Never throws.
    /// </summary>
    public static SmtpReply Parse(string? raw, SmtpStage stage = SmtpStage.Unknown)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return new SmtpReply(0, null, string.Empty, stage);
        }

        var code = 0;
        string? enhanced = null;
        var text = new StringBuilder(raw.Length);
        foreach (var rawLine in raw.Split('\n'))
        {
            var line = rawLine.Trim();
            var m = LinePrefix().Match(line);
            if (m.Success)
            {
                if (code == 0)
                {
                    code = int.Parse(m.Groups["code"].ValueSpan);
                }

                if (enhanced is null && m.Groups["enh"].Success)
                {
                    enhanced = m.Groups["enh"].Value;
                }

                line = line[m.Length..];
            }

            if (line.Length > 0)
            {
                text.Append(text.Length > 0 ? " " : string.Empty).Append(line);
            }
        }

        // Some relays quote the remote reply after their own code ("550 550 5.1.1 user unknown").
        if (enhanced is null && StatusCodes.LeadingEnhanced(text.ToString()) is { } inner)
        {
            enhanced = inner.Code;
            text.Remove(0, inner.Length);
        }

        var body = text.ToString().Trim();
        return new SmtpReply(code, enhanced ?? StatusCodes.FindHashed(body), body, stage);
    }

    // "550-5.1.1 " or "550 " or "550 550 5.1.1 " at the start of a line (RFC 5321 4.2.1 continuation dash).
    [GeneratedRegex(@"\A(?<code>[2-5][0-9][0-9])(?:[ \-](?:[2-5][0-9][0-9][ \-])?(?:(?<enh>[245]\.[0-9]{1,3}\.[0-9]{1,3})(?![0-9.]))?)?[ \-]*", RegexOptions.CultureInvariant)]
    private static partial Regex LinePrefix();
}
