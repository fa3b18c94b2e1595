using System.Text.RegularExpressions;

namespace Hikyaku.Bounces;

/// <summary>Finding SMTP reply codes and RFC 3463 enhanced status codes inside free bounce text.</summary>
public static partial class StatusCodes
{
    /// <summary>The first enhanced status code (class.subject.detail) in the text, or null.</summary>
    public static string? FindEnhanced(string text)
    {
        string? fallback = null;
        foreach (Match m in Enhanced().Matches(text))
        {
            // x.0.0 says nothing beyond the class; keep looking for a specific one.
            if (!m.ValueSpan.EndsWith(".0.0"))
            {
                return m.Value;
            }

            fallback ??= m.Value;
        }

        return fallback;
    }

    /// <summary>The first SMTP reply code that stands as a reply (at a line start, or before an enhanced code), or 0.</summary>
    public static int FindReplyCode(string text)
    {
        var m = ReplyCode().Match(text);
        return m.Success ? int.Parse(m.Groups["code"].ValueSpan) : 0;
    }

    /// <summary>An enhanced code at the very start of the text, with the length to strip.</summary>
    public static (string Code, int Length)? LeadingEnhanced(string text)
    {
        var m = Leading().Match(text);
        return m.Success ? (m.Groups["enh"].Value, m.Length) : null;
    }

    [GeneratedRegex(@"(?<![0-9.])[245]\.[0-9]{1,3}\.[0-9]{1,3}(?!\.?[0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Enhanced();

    // A reply code where replies are quoted: line start, after "said:", "<<<", "smtp;", or before an enhanced code.
    [GeneratedRegex(@"(?:^|said:|<<<|smtp;|\bSMTP error[^:]*:|:)\s*(?<code>[245][0-9][0-9])(?=[ \-][^0-9]|[ \-][245]\.|$)|(?<![0-9.])(?<code>[245][0-9][0-9])[ \-]+[245]\.[0-9]{1,3}\.[0-9]{1,3}", RegexOptions.CultureInvariant | RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex ReplyCode();

    [GeneratedRegex(@"\A(?:[2-5][0-9][0-9][ \-])?(?<enh>[245]\.[0-9]{1,3}\.[0-9]{1,3})(?![0-9.])\s*", RegexOptions.CultureInvariant)]
    private static partial Regex Leading();
}
