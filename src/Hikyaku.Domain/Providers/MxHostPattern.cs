using System.Text.RegularExpressions;

namespace Hikyaku.Domain.Providers;

/// <summary>
/// An MX host name pattern from the provider catalog: an exact name (<c>mfsmax.docomo.ne.jp</c>),
/// a leading <c>*.</c> for one or more labels under a suffix (<c>*.olc.protection.outlook.com</c>),
/// or a <c>*</c> inside a label for any run of label characters (<c>mx*.mail.icloud.com</c>).
/// Matching ignores case and a trailing root dot, as DNS names do.
/// </summary>
public sealed class MxHostPattern
{
    private readonly Regex _regex;

    /// <summary>Parses <paramref name="pattern"/>.</summary>
    public MxHostPattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        Text = HostName.Normalize(pattern);
        var subdomains = Text.StartsWith("*.", StringComparison.Ordinal);
        var rest = subdomains ? Text[2..] : Text;
        // A pattern must pin at least a registered name, never a whole TLD or everything.
        if (!rest.Contains('.'))
        {
            throw new FormatException($"MX pattern '{pattern}' is broader than one registered domain.");
        }
        var body = Regex.Escape(rest).Replace(@"\*", "[a-z0-9-]*", StringComparison.Ordinal);
        _regex = new Regex(
            "^" + (subdomains ? "(?:[a-z0-9_-]+\\.)+" : "") + body + "$",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    }

    /// <summary>The pattern as written, normalised.</summary>
    public string Text { get; }

    /// <summary>True when <paramref name="hostName"/> matches.</summary>
    public bool Matches(string hostName) => _regex.IsMatch(HostName.Normalize(hostName));

    /// <inheritdoc />
    public override string ToString() => Text;
}
