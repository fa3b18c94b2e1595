using System.Net;
using System.Text;
using Hikyaku.MxSim;
using Hikyaku.Testing;
using Hikyaku.Testing.Dns;

namespace Hikyaku.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Real delivery on loopback: simulated providers (each on its own 127.0.10.x address, all on one SMTP port),
/// a DNS server whose MX records send each domain to its provider, PostgreSQL, and a silo with
/// <c>Delivery:Sandbox=false</c> that knows none of this except the name server and the port.
/// </summary>
public class DeliveryFixture : IAsyncLifetime
{
    /// <summary>Provider profile → its domains; each domain's MX is one of the provider's published MX names.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Domains = new Dictionary<string, string[]>
    {
        ["microsoft"] = ["hotmail.com", "outlook.com", "live.jp"],
        ["google"] = ["gmail.com", "googlemail.com"],
        ["yahoo"] = ["yahoo.com", "ymail.com"],
        ["apple"] = ["icloud.com", "me.com"],
        ["docomo"] = ["docomo.ne.jp"],
        ["au"] = ["ezweb.ne.jp", "au.com"],
    };

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "hikyaku-delivery-" + Guid.NewGuid().ToString("N")[..8]);
    private LoopbackDnsServer _dns = null!;
    private string _zone = string.Empty;

    public MxSimHost Providers { get; private set; } = null!;

    public SiloProcess Silo { get; private set; } = null!;

    /// <summary>The port every simulated provider listens on (each on its own address).</summary>
    public int SmtpPort { get; private set; }

    /// <summary>The name server that sends each domain to its provider, for another silo of a test's own.</summary>
    public System.Net.IPEndPoint DnsEndPoint => _dns.EndPoint;

    /// <summary>The silo's PostgreSQL database, for a test that must put there what the API would refuse.</summary>
    public string ConnectionString { get; private set; } = null!;

    /// <summary>More configuration for the silo, as <c>Section__Key</c> environment variables.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        var addresses = Domains.Keys.Select((name, i) => (name, ip: IPAddress.Parse($"127.0.10.{i + 1}"))).ToList();
        for (var attempt = 1; ; attempt++)
        {
            // Free on 127.0.0.1 a moment ago, which says nothing of 127.0.10.x: another fixture starting beside this one may
            // listen there on the same port. Then another port.
            var candidate = TempPostgres.FreeLoopbackPort();
            try
            {
                Providers = await MxSimHost.StartAsync(addresses.Select(p => new ProviderOptions { Profile = p.name, Listen = new IPEndPoint(p.ip, candidate) }));
                SmtpPort = candidate;
                break;
            }
            catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse && attempt < 10)
            {
            }
        }

        _zone = Zone(addresses);
        _dns = LoopbackDnsServer.Start(_zone);
        var pg = await TempPostgres.SharedAsync();
        ConnectionString = await pg.CreateDatabaseAsync("delivery");
        Silo = await SiloProcess.StartAsync(_dataDir, new Dictionary<string, string>
        {
            ["Hikyaku__Storage"] = "Postgres",
            ["ConnectionStrings__Hikyaku"] = ConnectionString,
            ["Hikyaku__Cluster__ClusterId"] = "delivery-" + Guid.NewGuid().ToString("N")[..8],
            ["Delivery__Sandbox"] = "false",
            ["Delivery__SmtpPort"] = SmtpPort.ToString(),
            ["Dns__NameServers__0"] = _dns.EndPoint.ToString(),
            // The catalog's warm-up pace (20–120 a minute per IP) would make these broadcasts take minutes.
            ["Delivery__Lanes__ApplyProviderDefaults"] = "false",
            // Nor may a new IP's daily warm-up caps (100 a day toward Microsoft) hold them back; WarmupTests turns it on.
            ["Delivery__Warmup__NewIps"] = "false",
            ["Delivery__Lanes__RetryDelays__0"] = "00:00:01",
            ["Delivery__Lanes__RetryDelays__1"] = "00:00:02",
            ["Blocks__ProbeSpacing"] = ProbeSpacing,
        }.Concat(Settings).ToDictionary());
    }

    /// <summary>
    /// Settings for a silo of a test's own (embedded, in its own data folder) that delivers to these simulated providers
    /// as the fixture's silo does, probing blocked lanes as quickly.
    /// </summary>
    public Dictionary<string, string> OwnSiloSettings() => new()
    {
        ["Delivery__Sandbox"] = "false",
        ["Delivery__SmtpPort"] = SmtpPort.ToString(),
        ["Dns__NameServers__0"] = DnsEndPoint.ToString(),
        ["Delivery__Lanes__ApplyProviderDefaults"] = "false",
        ["Delivery__Warmup__NewIps"] = "false",
        ["Blocks__ProbeSpacing"] = ProbeSpacing,
    };

    /// <summary>A blocked lane's probes two seconds apart (a minute in production), so a test sees a block end.</summary>
    private const string ProbeSpacing = "00:00:02";

    /// <summary>The name server answers these records too (zone-file lines), from now on; an empty text takes them back.</summary>
    public void ServeDnsRecords(string zoneLines) => _dns.Load(_zone + zoneLines);

    public async Task DisposeAsync()
    {
        if (Silo is not null)
        {
            await Silo.DisposeAsync();
        }

        if (_dns is not null)
        {
            await _dns.DisposeAsync();
        }

        if (Providers is not null)
        {
            await Providers.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Zone(IEnumerable<(string Name, IPAddress Ip)> providers)
    {
        var zone = new StringBuilder();
        foreach (var (name, ip) in providers)
        {
            var mxHost = Domain.Providers.ProviderCatalog.Default.Providers.Single(p => p.Id == name).ExampleMxHosts[0];
            zone.AppendLine($"{mxHost}. 300 IN A {ip}");
            foreach (var domain in Domains[name])
            {
                zone.AppendLine($"{domain}. 300 IN MX 10 {mxHost}.");
            }
        }

        return zone.ToString();
    }
}
