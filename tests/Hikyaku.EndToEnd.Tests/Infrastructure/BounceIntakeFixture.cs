using System.Net;
using Hikyaku.MxSim;
using Hikyaku.Testing;
using Hikyaku.Testing.Dns;

namespace Hikyaku.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Asynchronous bounces end to end: a simulated Gmail (and Yahoo! JAPAN, for readers who need a lane of their own) that
/// journals each message's MAIL FROM (the reader's return path), a throwaway Dovecot mailbox when <c>dovecot-imapd</c> is installed, and a silo that delivers
/// for real (Delivery:Routes to the simulator), listens for reports on its bounce domain over SMTP and polls the
/// mailbox every second (and a second one over POP3 when <c>dovecot-pop3d</c> is installed).
/// </summary>
public sealed class BounceIntakeFixture : IAsyncLifetime
{
    public const string BounceDomain = "bounce.hikyaku.test";

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "hikyaku-bounces-" + Guid.NewGuid().ToString("N")[..8]);
    private LoopbackDnsServer _dns = null!;

    public MxSimHost Providers { get; private set; } = null!;

    public SiloProcess Silo { get; private set; } = null!;

    public int BounceSmtpPort { get; } = TempPostgres.FreeLoopbackPort();

    /// <summary>The polled mailbox, or null when Dovecot is not installed (<see cref="ImapUnavailable"/> says so).</summary>
    public TempDovecot? Mailbox { get; private set; }

    public string? ImapUnavailable { get; } = TempDovecot.Unavailable;

    /// <summary>A second mailbox the silo polls over POP3 (filled over IMAP by the test), or null (<see cref="Pop3Unavailable"/>).</summary>
    public TempDovecot? Pop3Mailbox { get; private set; }

    public string? Pop3Unavailable { get; } = TempDovecot.Pop3Unavailable;

    public async Task InitializeAsync()
    {
        Providers = await MxSimHost.StartAsync([
            new ProviderOptions { Profile = "google", Listen = new IPEndPoint(IPAddress.Loopback, 0), AcceptAll = true },
            new ProviderOptions { Profile = "yahoo-jp", Listen = new IPEndPoint(IPAddress.Loopback, 0), AcceptAll = true },
        ]);
        _dns = LoopbackDnsServer.Start(string.Empty);
        var settings = new Dictionary<string, string>
        {
            ["Delivery__Sandbox"] = "false",
            ["Delivery__Warmup__NewIps"] = "false",
            // Gmail's catalog pace for a new IP (a few a minute) would take a step sequence's first story minutes to reach
            // a few dozen readers.
            ["Delivery__Lanes__ApplyProviderDefaults"] = "false",
            ["Delivery__Routes__gmail.com"] = Providers["google"].Endpoint.ToString(),
            ["Delivery__Routes__yahoo.co.jp"] = Providers["yahoo-jp"].Endpoint.ToString(),
            ["Dns__NameServers__0"] = _dns.EndPoint.ToString(),
            ["Bounces__Domain"] = BounceDomain,
            ["Bounces__Listen"] = $"127.0.0.1:{BounceSmtpPort}",
        };
        if (ImapUnavailable is null)
        {
            Mailbox = await TempDovecot.StartAsync();
            settings["Bounces__Imap__Host"] = "127.0.0.1";
            settings["Bounces__Imap__Port"] = Mailbox.Port.ToString();
            settings["Bounces__Imap__UseTls"] = "false";
            settings["Bounces__Imap__Username"] = Mailbox.User;
            settings["Bounces__Imap__Password"] = Mailbox.Password;
            settings["Bounces__Imap__PollInterval"] = "00:00:01";
        }

        if (Pop3Unavailable is null)
        {
            Pop3Mailbox = await TempDovecot.StartAsync("pop3bounces", pop3: true);
            settings["Bounces__Pop3__Host"] = "127.0.0.1";
            settings["Bounces__Pop3__Port"] = Pop3Mailbox.Pop3Port.ToString();
            settings["Bounces__Pop3__UseTls"] = "false";
            settings["Bounces__Pop3__Username"] = Pop3Mailbox.User;
            settings["Bounces__Pop3__Password"] = Pop3Mailbox.Password;
            settings["Bounces__Pop3__PollInterval"] = "00:00:01";
        }

        Silo = await SiloProcess.StartAsync(_dataDir, settings);
    }

    public async Task DisposeAsync()
    {
        // The silo first (it polls the mailbox and delivers to the simulator), then what it talked to.
        foreach (var started in new IAsyncDisposable?[] { Silo, Mailbox, Pop3Mailbox, _dns, Providers })
        {
            if (started is not null)
            {
                await started.DisposeAsync();
            }
        }

        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BounceIntakeCollection : ICollectionFixture<BounceIntakeFixture>
{
    public const string Name = "bounce intake";
}
