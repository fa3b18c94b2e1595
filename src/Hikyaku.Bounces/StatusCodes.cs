using System.Text.RegularExpressions;

namespace Hikyaku.Bounces;

/// <summary>Finding RFC 3463 enhanced status codes inside free bounce text.</summary>
internal static partial class StatusCodes
{
    /// <summary>The first specific enhanced status code (class.subject.detail) in the text; an x.0.0 only when there is no other; else null.</summary>
    public static string? FindEnhanced(string text)
    {
        (int Index, int Length)? fallback = null;
        foreach (var m in Enhanced().EnumerateMatches(text))
        {
            // x.0.0 says nothing beyond the class; keep looking for a specific one.
            if (!text.AsSpan(m.Index, m.Length).EndsWith(".0.0"))
            {
                return text.Substring(m.Index, m.Length);
            }

            fallback ??= (m.Index, m.Length);
        }

        return fallback is { } f ? text.Substring(f.Index, f.Length) : null;
    }

    /// <summary>An enhanced code at the very start of the text, with the length to strip.</summary>
    public static (string Code, int Length)? LeadingEnhanced(string text)
    {
        var m = Leading().Match(text);
        return m.Success ? (m.Groups["enh"].Value, m.Length) : null;
    }

    /// <summary>qmail's form, the enhanced code in parentheses after a hash at the end: <c>(#5.1.1)</c>.</summary>
    public static string? FindHashed(string text)
    {
        var m = Hashed().Match(text);
        return m.Success ? m.Groups["enh"].Value : null;
    }

    [GeneratedRegex(@"\(#(?<enh>[245]\.[0-9]{1,3}\.[0-9]{1,3})\)", RegexOptions.CultureInvariant)]
    private static partial Regex Hashed();

    [GeneratedRegex(@"(?<![0-9.])[245]\.[0-9]{1,3}\.[0-9]{1,3}(?!\.?[0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Enhanced();

    [GeneratedRegex(@"\A(?:[2-5][0-9][0-9][ \-])?(?<enh>[245]\.[0-9]{1,3}\.[0-9]{1,3})(?![0-9.])\s*", RegexOptions.CultureInvariant)]
    private static partial Regex Leading();
}
