using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Hikyaku.Domain.Providers;

namespace Hikyaku.Dns;

/// <summary>One uncached MX resolution: MX, then the addresses of each host, or the implicit MX.</summary>
internal sealed class MxLookup(DnsQuery query)
{
    // Used when an answer carries neither records nor an SOA to take a TTL from.
    private static readonly TimeSpan NoTtl = TimeSpan.Zero;

    public async Task<MxResolution> ResolveAsync(string domain, CancellationToken cancellationToken)
    {
        var mx = await query.AskAsync(domain, QueryType.MX, cancellationToken).ConfigureAwait(false);
        switch (mx.Outcome)
        {
            case DnsOutcome.NoSuchName:
                return MxResolution.Failed(domain, MxStatus.NoSuchDomain, mx.NegativeTtl ?? NoTtl, $"{domain}: no such domain (NXDOMAIN)");
            case DnsOutcome.Failed:
                return MxResolution.Failed(domain, MxStatus.TemporaryFailure, NoTtl, mx.Error!);
        }
        var records = mx.Records.OfType<MxRecord>().ToArray();
        if (records.Length == 0)
        {
            return await ImplicitMxAsync(domain, mx.NegativeTtl ?? NoTtl, cancellationToken).ConfigureAwait(false);
        }
        var ttl = TimeSpan.FromSeconds(records.Min(r => r.TimeToLive));
        // RFC 7505: a single MX of preference 0 pointing at the root says "this domain takes no
        // mail". A root target mixed with real hosts is a misconfiguration; the real hosts win.
        var exchanges = records.Where(r => HostName.Normalize(r.Exchange.Value).Length > 0).ToArray();
        if (exchanges.Length == 0)
        {
            return MxResolution.Failed(domain, MxStatus.NullMx, ttl, $"{domain}: null MX, the domain accepts no mail (RFC 7505)");
        }
        var hosts = await Task.WhenAll(exchanges
            .OrderBy(r => r.Preference).ThenBy(r => HostName.Normalize(r.Exchange.Value), StringComparer.Ordinal)
            .Select(r => AddressesAsync(HostName.Normalize(r.Exchange.Value), r.Preference, cancellationToken))).ConfigureAwait(false);
        var usable = hosts.Where(h => h.Host.Addresses.Count > 0).Select(h => h.Host).ToArray();
        if (usable.Length > 0)
        {
            return new MxResolution(domain, MxStatus.Ok, usable, false, Min(ttl, hosts.Select(h => h.Ttl)), null);
        }
        // RFC 5321 §5.1: hosts that do not resolve are skipped; if none is left the domain cannot
        // be delivered to, permanently unless one of the lookups only failed for now.
        var failure = hosts.FirstOrDefault(h => h.Error is not null);
        return failure.Error is not null
            ? MxResolution.Failed(domain, MxStatus.TemporaryFailure, NoTtl, failure.Error)
            : MxResolution.Failed(domain, MxStatus.NoMailHost, Min(ttl, hosts.Select(h => h.Ttl)), $"{domain}: no MX host has an address");
    }

    // RFC 5321 §5.1: with no MX, the domain itself is the mail host (preference 0).
    private async Task<MxResolution> ImplicitMxAsync(string domain, TimeSpan noDataTtl, CancellationToken cancellationToken)
    {
        var (host, ttl, error) = await AddressesAsync(domain, 0, cancellationToken).ConfigureAwait(false);
        if (host.Addresses.Count > 0)
        {
            return new MxResolution(domain, MxStatus.Ok, [host], true, ttl, null);
        }
        return error is not null
            ? MxResolution.Failed(domain, MxStatus.TemporaryFailure, NoTtl, error)
            : MxResolution.Failed(domain, MxStatus.NoMailHost, Min(noDataTtl, [ttl]), $"{domain}: no MX and no address record");
    }

    private async Task<(MxHost Host, TimeSpan Ttl, string? Error)> AddressesAsync(string name, int preference, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(
            query.AskAsync(name, QueryType.A, cancellationToken),
            query.AskAsync(name, QueryType.AAAA, cancellationToken)).ConfigureAwait(false);
        var addresses = answers.SelectMany(a => a.Records).OfType<AddressRecord>().ToArray();
        var ttl = addresses.Length > 0
            ? TimeSpan.FromSeconds(addresses.Min(a => a.TimeToLive))
            : answers.Select(a => a.NegativeTtl ?? NoTtl).Min();
        var error = addresses.Length == 0 ? answers.FirstOrDefault(a => a.Outcome == DnsOutcome.Failed)?.Error : null;
        return (new MxHost(name, preference, addresses.Select(a => a.Address).ToArray()), ttl, error);
    }

    private static TimeSpan Min(TimeSpan first, IEnumerable<TimeSpan> rest) => rest.Aggregate(first, (a, b) => a < b ? a : b);
}
