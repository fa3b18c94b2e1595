using System.Net;
using Hikyaku.Domain.Providers;
using Microsoft.Extensions.Configuration;

namespace Hikyaku.Dns;

/// <summary>
/// The <c>Delivery:Routes</c> overrides: recipient domain pattern → <c>host[:port]</c>, for tests
/// and operators. A routed domain skips MX lookup. Patterns are an exact domain
/// (<c>example.jp</c>), its subdomains (<c>*.example.jp</c>, not <c>example.jp</c> itself) or
/// <c>*</c> for everything; the exact domain wins, then the longest suffix, then <c>*</c>.
/// </summary>
public sealed class RouteTable
{
    private readonly Dictionary<string, DnsEndPoint> _exact = new(StringComparer.Ordinal);
    private readonly List<(string Suffix, DnsEndPoint Target)> _suffixes = [];
    private readonly DnsEndPoint? _everything;

    /// <summary>Builds the table; a target without a port gets <paramref name="defaultPort"/>.</summary>
    public RouteTable(IEnumerable<KeyValuePair<string, string>> routes, int defaultPort = 25)
    {
        foreach (var (pattern, target) in routes)
        {
            var key = HostName.Normalize(pattern);
            var endPoint = ParseTarget(target, defaultPort);
            if (key == "*")
            {
                _everything = endPoint;
            }
            else if (key.StartsWith("*.", StringComparison.Ordinal))
            {
                _suffixes.Add((key[1..], endPoint));
            }
            else
            {
                _exact[key] = endPoint;
            }
        }
        _suffixes.Sort((a, b) => b.Suffix.Length.CompareTo(a.Suffix.Length));
    }

    /// <summary>
    /// The table from the <c>Delivery:Routes</c> section, whose keys are the patterns
    /// (<c>"Routes": { "example.jp": "127.0.0.1:2525", "*": "127.0.0.1:2500" }</c>).
    /// </summary>
    public static RouteTable FromConfiguration(IConfiguration routes, int defaultPort = 25) =>
        new(routes.GetChildren().Where(c => !string.IsNullOrWhiteSpace(c.Value)).Select(c => KeyValuePair.Create(c.Key, c.Value!)), defaultPort);

    /// <summary>A table with no routes.</summary>
    public static RouteTable Empty { get; } = new([]);

    /// <summary>The endpoint <paramref name="domain"/> is routed to, or null for normal MX delivery.</summary>
    public DnsEndPoint? Find(string domain)
    {
        var key = HostName.Normalize(domain);
        return _exact.GetValueOrDefault(key)
            ?? _suffixes.FirstOrDefault(s => key.EndsWith(s.Suffix, StringComparison.Ordinal)).Target
            ?? _everything;
    }

    private static DnsEndPoint ParseTarget(string target, int defaultPort)
    {
        var text = target.Trim();
        if (IPEndPoint.TryParse(text, out var ip))
        {
            return new DnsEndPoint(ip.Address.ToString(), ip.Port == 0 ? defaultPort : ip.Port);
        }
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            return new DnsEndPoint(text, defaultPort);
        }
        return int.TryParse(text.AsSpan(colon + 1), out var port) && port is > 0 and <= 65535 && colon > 0
            ? new DnsEndPoint(text[..colon], port)
            : throw new FormatException($"Route target '{target}' is not host:port.");
    }
}
