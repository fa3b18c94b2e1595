using System.Net;
using System.Text;
using Hikyaku.MxSim;
using Hikyaku.MxSim.Journal;
using Hikyaku.Testing.Dns;

namespace Hikyaku.Benchmarks.Delivery;

/// <summary>
/// The outside world of the delivery benchmark, all on loopback: the eight simulated providers
/// (127.0.10.1–8) and a generic accept-all sink for the other domains (127.0.10.9), every one on the
/// same SMTP port, plus a DNS server whose MX records send each of the 20 domains to its provider
/// through MX host names that roll up to the provider catalog's sites.
/// </summary>
internal sealed class LoopbackMailWorld : IAsyncDisposable
{
    /// <summary>Provider profile, recipient domain, MX host name (from the catalog's <c>exampleMxHosts</c>).</summary>
    private static readonly (string Profile, string Domain, string MxHost)[] ProviderDomains =
    [
        ("microsoft", "hotmail.co.jp", "hotmail-com.olc.protection.outlook.com"),
        ("google", "gmail.com", "gmail-smtp-in.l.google.com"),
        ("yahoo", "yahoo.com", "mta5.am0.yahoodns.net"),
        ("yahoo-jp", "yahoo.co.jp", "mx1.mail.yahoo.co.jp"),
        ("apple", "icloud.com", "mx01.mail.icloud.com"),
        ("docomo", "docomo.ne.jp", "mfsmax.docomo.ne.jp"),
        ("au", "ezweb.ne.jp", "lsean.ezweb.ne.jp"),
        ("softbank", "softbank.ne.jp", "mx.softbank.ne.jp"),
    ];

    public const string GenericSinkAddress = "127.0.10.9";

    private LoopbackMailWorld(MxSimHost providers, MxSimHost genericSink, LoopbackDnsServer dns, int smtpPort, IReadOnlyList<string> domains)
    {
        Providers = providers;
        GenericSink = genericSink;
        Dns = dns;
        SmtpPort = smtpPort;
        Domains = domains;
    }

    public MxSimHost Providers { get; }

    /// <summary>Its own host: MxSim refuses two providers of one profile in one host (they would serve the same domains).</summary>
    public MxSimHost GenericSink { get; }

    public LoopbackDnsServer Dns { get; }

    public int SmtpPort { get; }

    /// <summary>The 20 recipient domains: 8 of the providers, then bench-isp-1.test … bench-isp-12.test.</summary>
    public IReadOnlyList<string> Domains { get; }

    public int AcceptedCount => Providers.Journal.AcceptedCount + GenericSink.Journal.AcceptedCount;

    public IReadOnlyList<AcceptedMessage> Accepted => [.. Providers.Journal.Accepted, .. GenericSink.Journal.Accepted];

    public int RejectedCount => Providers.Journal.Rejected.Count + GenericSink.Journal.Rejected.Count;

    /// <summary>The recipient domains, in the order <see cref="StartAsync"/> serves them.</summary>
    public static IReadOnlyList<string> DomainNames(int count = 20) =>
        [.. ProviderDomains.Select(p => p.Domain).Take(count), .. Enumerable.Range(1, Math.Max(0, count - ProviderDomains.Length)).Select(n => $"bench-isp-{n}.test")];

    public static async Task<LoopbackMailWorld> StartAsync(int domainCount = 20)
    {
        var port = FreePortOn(Enumerable.Range(1, 10).Select(i => IPAddress.Parse($"127.0.10.{i}")).ToList());
        var providers = await MxSimHost.StartAsync(ProviderDomains.Select((p, i) => new ProviderOptions
        {
            Profile = p.Profile,
            Listen = new IPEndPoint(IPAddress.Parse($"127.0.10.{i + 1}"), port),
            AcceptAll = true,
        }));
        var generic = await MxSimHost.StartAsync([new ProviderOptions
        {
            Profile = "google",
            Listen = new IPEndPoint(IPAddress.Parse(GenericSinkAddress), port),
            AcceptAll = true,
        }]);

        var zone = new StringBuilder();
        var domains = new List<string>();
        for (var i = 0; i < ProviderDomains.Length && domains.Count < domainCount; i++)
        {
            var (_, domain, mx) = ProviderDomains[i];
            zone.AppendLine($"{domain}. 300 IN MX 10 {mx}.");
            zone.AppendLine($"{mx}. 300 IN A 127.0.10.{i + 1}");
            domains.Add(domain);
        }

        for (var n = 1; domains.Count < domainCount; n++)
        {
            var domain = $"bench-isp-{n}.test";
            zone.AppendLine($"{domain}. 300 IN MX 10 mx.{domain}.");
            zone.AppendLine($"mx.{domain}. 300 IN A {GenericSinkAddress}");
            domains.Add(domain);
        }

        var dns = LoopbackDnsServer.Start(zone.ToString());
        return new LoopbackMailWorld(providers, generic, dns, port, domains);
    }

    /// <summary>A TCP port free on every one of <paramref name="addresses"/> (they must all listen on one port: Delivery:SmtpPort).</summary>
    public static int FreePortOn(IReadOnlyList<IPAddress> addresses)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Hikyaku.Testing.TempPostgres.FreeLoopbackPort();
            var listeners = new List<System.Net.Sockets.TcpListener>();
            try
            {
                foreach (var address in addresses)
                {
                    var l = new System.Net.Sockets.TcpListener(address, port);
                    l.Start();
                    listeners.Add(l);
                }

                return port;
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
            finally
            {
                foreach (var l in listeners) l.Stop();
            }
        }

        throw new InvalidOperationException("no port free on every 127.0.10.x address");
    }

    public async ValueTask DisposeAsync()
    {
        await Dns.DisposeAsync();
        await GenericSink.DisposeAsync();
        await Providers.DisposeAsync();
    }
}
