using System.Net;

namespace Hikyaku.Dns;

/// <summary>DNS settings, bound from the <c>Dns</c> configuration section.</summary>
public sealed class DnsOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Dns";

    /// <summary>
    /// Name servers as IP literals, <c>host</c> or <c>host:port</c> (<c>127.0.0.1:5353</c>,
    /// <c>[::1]:53</c>). Empty (the default) uses the system's resolvers.
    /// </summary>
    public List<string> NameServers { get; set; } = [];

    /// <summary>How long one query waits for an answer. Default 5 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a query is repeated after a timeout. Default 2.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>Shortest time an answer is cached, whatever its TTL. Default 30 s.</summary>
    public TimeSpan MinTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest time an answer is cached, whatever its TTL. Default 1 h.</summary>
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a temporary failure (SERVFAIL, timeout, refused) is remembered, so a dead name
    /// server is not hammered by every message, yet recovers quickly. Default 10 s.
    /// </summary>
    public TimeSpan TemporaryFailureTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>DNSBL zones the sending IPs are checked on (<c>zen.spamhaus.org</c>…). Default none.</summary>
    public List<string> DnsblZones { get; set; } = [];

    /// <summary>The configuration errors, empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        errors.AddRange(NameServers.Where(s => !TryParseNameServer(s, out _)).Select(s => $"Dns:NameServers: '{s}' is not an IP address with an optional port."));
        if (Timeout <= TimeSpan.Zero) errors.Add("Dns:Timeout must be positive.");
        if (Retries < 0) errors.Add("Dns:Retries must not be negative.");
        if (MinTtl < TimeSpan.Zero || MaxTtl < MinTtl) errors.Add("Dns:MinTtl must be at least 0 and at most Dns:MaxTtl.");
        if (TemporaryFailureTtl < TimeSpan.Zero || TemporaryFailureTtl > TimeSpan.FromMinutes(1)) errors.Add("Dns:TemporaryFailureTtl must be between 0 and 1 minute.");
        errors.AddRange(DnsblZones.Where(z => string.IsNullOrWhiteSpace(z) || !z.Contains('.')).Select(z => $"Dns:DnsblZones: '{z}' is not a zone name."));
        return errors;
    }

    /// <summary>The configured name servers as endpoints (port 53 when none is given).</summary>
    public IReadOnlyList<IPEndPoint> NameServerEndPoints() =>
        NameServers.Select(s => TryParseNameServer(s, out var endPoint) ? endPoint : throw new FormatException($"Bad name server '{s}'.")).ToArray();

    private static bool TryParseNameServer(string text, out IPEndPoint endPoint)
    {
        if (IPEndPoint.TryParse(text.Trim(), out var parsed))
        {
            endPoint = parsed.Port == 0 ? new IPEndPoint(parsed.Address, 53) : parsed;
            return true;
        }
        endPoint = null!;
        return false;
    }
}
