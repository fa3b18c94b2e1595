namespace Hikyaku.Smtp;

/// <summary>
/// The <c>Delivery:Routes</c> overrides: which host and port a recipient domain is sent to instead
/// of its MX. An exact pattern wins over a wildcard; the longest wildcard wins among wildcards.
/// </summary>
public sealed class DeliveryRoutes
{
    readonly Dictionary<string, (string Host, int Port)> _exact = new(StringComparer.OrdinalIgnoreCase);
    readonly List<(string Suffix, string Host, int Port)> _wildcards = [];

    /// <summary>Builds the table from <see cref="DeliveryOptions.Routes"/>; invalid entries throw (validate options first).</summary>
    /// <exception cref="ArgumentException">A pattern or target is malformed.</exception>
    public DeliveryRoutes(IReadOnlyDictionary<string, string> routes)
    {
        foreach (var (pattern, target) in routes)
        {
            if (!IsValidPattern(pattern) || !TryParseTarget(target, out var host, out var port))
                throw new ArgumentException($"Invalid route '{pattern}' → '{target}'.", nameof(routes));
            var p = pattern.Trim().TrimEnd('.');
            if (p.StartsWith("*.", StringComparison.Ordinal)) _wildcards.Add((p[1..], host, port));
            else _exact[p] = (host, port);
        }
        _wildcards.Sort((a, b) => b.Suffix.Length.CompareTo(a.Suffix.Length));
    }

    /// <summary>The host and port configured for <paramref name="domain"/>, if a route matches.</summary>
    public bool TryResolve(string domain, out string host, out int port)
    {
        var d = domain.Trim().TrimEnd('.');
        if (_exact.TryGetValue(d, out var exact))
        {
            (host, port) = exact;
            return true;
        }
        // "*.example.jp" matches sub.example.jp, not example.jp itself (as in DNS wildcards, RFC 4592).
        foreach (var (suffix, h, p) in _wildcards)
        {
            if (d.Length > suffix.Length && d.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                (host, port) = (h, p);
                return true;
            }
        }
        (host, port) = ("", 0);
        return false;
    }

    /// <summary>Whether <paramref name="pattern"/> is <c>domain</c> or <c>*.domain</c>.</summary>
    public static bool IsValidPattern(string pattern)
    {
        var p = pattern.Trim().TrimEnd('.');
        if (p.StartsWith("*.", StringComparison.Ordinal)) p = p[2..];
        return p.Length > 0 && Uri.CheckHostName(p) == UriHostNameType.Dns;
    }

    /// <summary>Parses <c>host:port</c> (an IPv6 host in brackets).</summary>
    public static bool TryParseTarget(string target, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = target.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(target.AsSpan(colon + 1), out port) || port is < 1 or > 65535) return false;
        host = target[..colon].Trim('[', ']', ' ');
        return Uri.CheckHostName(host) != UriHostNameType.Unknown;
    }
}
