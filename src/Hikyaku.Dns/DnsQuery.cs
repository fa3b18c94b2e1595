using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace Hikyaku.Dns;

/// <summary>How a single DNS question ended.</summary>
internal enum DnsOutcome
{
    /// <summary>NOERROR: records in <see cref="DnsAnswer.Records"/>, possibly none (NODATA).</summary>
    Answered,

    /// <summary>NXDOMAIN: the name does not exist.</summary>
    NoSuchName,

    /// <summary>Any other response code, timeout or network error.</summary>
    Failed,
}

/// <summary>A DNS answer reduced to what the resolvers decide on.</summary>
/// <param name="NegativeTtl">RFC 2308 §5: for NXDOMAIN / NODATA, min(SOA TTL, SOA MINIMUM) of the
/// authority section; null when the server sent no SOA.</param>
internal sealed record DnsAnswer(DnsOutcome Outcome, IReadOnlyList<DnsResourceRecord> Records, TimeSpan? NegativeTtl, string? Error);

/// <summary>
/// Asks DnsClient one question and turns its response codes and exceptions into a
/// <see cref="DnsAnswer"/>, so that temporary failure and "no such name" stay apart.
/// </summary>
internal sealed class DnsQuery(ILookupClient client)
{
    /// <summary>A client for <paramref name="options"/>, without DnsClient's own cache: ours clamps TTLs
    /// and keeps temporary failures short.</summary>
    public static DnsQuery Create(DnsOptions options)
    {
        var servers = options.NameServerEndPoints();
        var lookup = servers.Count == 0
            ? new LookupClientOptions()
            : new LookupClientOptions(servers.Select(e => new NameServer(e)).ToArray());
        lookup.UseCache = false;
        lookup.Timeout = options.Timeout;
        lookup.Retries = options.Retries;
        lookup.ThrowDnsErrors = false;
        // NODATA is an answer (no MX: fall back to A), not a reason to ask another server.
        lookup.ContinueOnEmptyResponse = false;
        return new DnsQuery(new LookupClient(lookup));
    }

    public async Task<DnsAnswer> AskAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await client.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException e)
        {
            return new DnsAnswer(DnsOutcome.Failed, [], null, $"{type} {name}: {e.DnsError}");
        }
        catch (SocketException e)
        {
            return new DnsAnswer(DnsOutcome.Failed, [], null, $"{type} {name}: {e.SocketErrorCode}");
        }
        return response.Header.ResponseCode switch
        {
            DnsHeaderResponseCode.NoError => new DnsAnswer(DnsOutcome.Answered, response.Answers, NegativeTtl(response), null),
            DnsHeaderResponseCode.NotExistentDomain => new DnsAnswer(DnsOutcome.NoSuchName, [], NegativeTtl(response), null),
            var code => new DnsAnswer(DnsOutcome.Failed, [], null, $"{type} {name}: {code} from {response.NameServer}"),
        };
    }

    private static TimeSpan? NegativeTtl(IDnsQueryResponse response) =>
        response.Authorities.SoaRecords()
            .Select(soa => TimeSpan.FromSeconds(Math.Min(soa.TimeToLive, (long)soa.Minimum)))
            .Cast<TimeSpan?>()
            .FirstOrDefault();
}
