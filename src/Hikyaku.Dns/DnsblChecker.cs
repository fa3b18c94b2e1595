using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Hikyaku.Domain.Providers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hikyaku.Dns;

/// <summary>The verdict of one DNSBL zone on one sending IP.</summary>
/// <param name="Zone">The list's zone.</param>
/// <param name="Listed">True when the list answered with a listing code.</param>
/// <param name="ReturnCodes">The 127.0.0.x answers (RFC 5782 §2.1); they say why, per list.</param>
/// <param name="CheckedAt">When the answer came.</param>
/// <param name="Error">Why there is no verdict (the list refused the query, SERVFAIL, timeout); null otherwise.</param>
public sealed record DnsblResult(string Zone, bool Listed, IReadOnlyList<IPAddress> ReturnCodes, DateTimeOffset CheckedAt, string? Error);

/// <summary>Checks sending IPs on the configured DNSBL zones.</summary>
public interface IDnsblChecker
{
    /// <summary>Asks each of <see cref="DnsOptions.DnsblZones"/> about <paramref name="ip"/>, in zone order.</summary>
    Task<IReadOnlyList<DnsblResult>> CheckAsync(IPAddress ip, CancellationToken cancellationToken = default);
}

/// <summary><see cref="IDnsblChecker"/> over DnsClient, uncached: checks are rare and must be fresh.</summary>
public sealed class DnsblChecker : IDnsblChecker
{
    private readonly DnsQuery _query;
    private readonly IReadOnlyList<string> _zones;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>A checker asking the name servers of <paramref name="options"/> about its zones.</summary>
    public DnsblChecker(DnsOptions options, TimeProvider time, ILogger<DnsblChecker>? logger = null)
    {
        _query = DnsQuery.Create(options);
        _zones = options.DnsblZones.Select(HostName.Normalize).ToArray();
        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DnsblResult>> CheckAsync(IPAddress ip, CancellationToken cancellationToken = default)
    {
        var reversed = ReversedName(ip);
        return await Task.WhenAll(_zones.Select(zone => CheckZoneAsync(ip, reversed, zone, cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>
    /// RFC 5782 §2.1 / §2.4: IPv4 as its octets reversed (<c>192.0.2.99</c> → <c>99.2.0.192</c>),
    /// IPv6 as its 32 nibbles reversed, each a label.
    /// </summary>
    internal static string ReversedName(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }
        var bytes = ip.GetAddressBytes();
        return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? string.Join('.', bytes.Reverse())
            : string.Join('.', bytes.Reverse().SelectMany(b => new[] { b & 0xF, b >> 4 }).Select(n => n.ToString("x")));
    }

    private async Task<DnsblResult> CheckZoneAsync(IPAddress ip, string reversed, string zone, CancellationToken cancellationToken)
    {
        var answer = await _query.AskAsync($"{reversed}.{zone}", QueryType.A, cancellationToken).ConfigureAwait(false);
        var result = Verdict(zone, answer, _time.GetUtcNow());
        if (result.Listed)
        {
            DnsLog.DnsblListed(_logger, ip, zone, string.Join(", ", result.ReturnCodes));
        }
        else if (result.Error is not null)
        {
            DnsLog.DnsblNoVerdict(_logger, ip, zone, result.Error);
        }
        return result;
    }

    private static DnsblResult Verdict(string zone, DnsAnswer answer, DateTimeOffset now)
    {
        if (answer.Outcome == DnsOutcome.Failed)
        {
            return new DnsblResult(zone, false, [], now, answer.Error);
        }
        // NXDOMAIN (and an empty answer) is how a list says "not listed" (RFC 5782 §2.1).
        var codes = answer.Records.OfType<ARecord>().Select(a => a.Address).ToArray();
        if (codes.Length == 0)
        {
            return new DnsblResult(zone, false, [], now, null);
        }
        if (codes.Any(IsRefusal))
        {
            return new DnsblResult(zone, false, codes, now, $"{zone} refused the query ({string.Join(", ", codes)}): the resolver is blocked or over the list's free limit");
        }
        return codes.All(IsLoopback)
            ? new DnsblResult(zone, true, codes, now, null)
            : new DnsblResult(zone, false, codes, now, $"{zone} answered outside 127.0.0.0/8 ({string.Join(", ", codes)}): a wildcarding resolver, not a listing");
    }

    // Spamhaus: 127.255.255.252 typing error, .254 query through a public/open resolver,
    // .255 excessive queries. None of them says anything about the IP.
    private static bool IsRefusal(IPAddress code)
    {
        var b = code.GetAddressBytes();
        return b is [127, 255, 255, 252 or 254 or 255];
    }

    private static bool IsLoopback(IPAddress code) => code.GetAddressBytes() is [127, _, _, _];
}
