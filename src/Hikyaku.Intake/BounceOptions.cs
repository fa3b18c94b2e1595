using System.Net;

namespace Hikyaku.Intake;

/// <summary>
/// Asynchronous bounce intake (configuration section <c>Bounces</c>). Everything is off by default: without a
/// <see cref="Domain"/> every message keeps the magazine's From address as its return path, as before.
/// </summary>
public sealed class BounceOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Bounces";

    /// <summary>
    /// The bounce domain: each message's return path (MAIL FROM) becomes <c>bounce+{token}@{Domain}</c>. Its MX
    /// must point at the listener (<see cref="Listen"/>) or deliver into the polled mailbox (<see cref="Imap"/>).
    /// </summary>
    public string? Domain { get; set; }

    /// <summary>Where the inbound SMTP listener for the bounce domain listens, <c>address:port</c>; off when empty.</summary>
    public string? Listen { get; set; }

    /// <summary>The largest report the listener accepts (RFC 1870 SIZE); DSNs that return the whole message can be large.</summary>
    public int MaxMessageBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>A mailbox polled over IMAP, for a bounce domain whose mail lands elsewhere.</summary>
    public ImapOptions Imap { get; set; } = new();

    public bool ReturnPathsOn => !string.IsNullOrWhiteSpace(Domain);

    /// <summary>The listener's endpoint, or null when the listener is off.</summary>
    public IPEndPoint? ListenEndPoint => string.IsNullOrWhiteSpace(Listen) ? null : IPEndPoint.Parse(Listen);

    /// <summary>The problems with these options, empty when they are usable; run at start-up.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(Listen) && !IPEndPoint.TryParse(Listen, out _))
        {
            errors.Add($"Bounces:Listen must be address:port (e.g. 127.0.0.1:2525), not '{Listen}'.");
        }

        if ((!string.IsNullOrWhiteSpace(Listen) || Imap.Enabled) && !ReturnPathsOn)
        {
            errors.Add("Bounces:Domain is required when Bounces:Listen or Bounces:Imap:Host is set (it is how a report finds its reader).");
        }

        if (Domain is { Length: > 0 } domain && (domain.Contains('@') || !domain.Contains('.') || domain.Any(char.IsWhiteSpace)))
        {
            errors.Add($"Bounces:Domain must be a domain name such as bounce.example.jp, not '{domain}'.");
        }

        if (MaxMessageBytes < 64 * 1024)
        {
            errors.Add("Bounces:MaxMessageBytes must be at least 65536.");
        }

        errors.AddRange(Imap.Validate());
        return errors;
    }
}

/// <summary>The IMAP mailbox polled for reports (<c>Bounces:Imap</c>); off while <see cref="Host"/> is empty.</summary>
public sealed class ImapOptions
{
    public string? Host { get; set; }

    /// <summary>0 for the default: 993 with <see cref="UseTls"/>, else 143.</summary>
    public int Port { get; set; }

    public string? Username { get; set; }

    /// <summary>Never logged, never shown.</summary>
    public string? Password { get; set; }

    /// <summary>TLS from the first byte (port 993) or STARTTLS on another port; off only for a mailbox on loopback.</summary>
    public bool UseTls { get; set; } = true;

    public string Folder { get; set; } = "INBOX";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public int EffectivePort => Port > 0 ? Port : UseTls ? 993 : 143;

    public IReadOnlyList<string> Validate()
    {
        if (!Enabled)
        {
            return [];
        }

        var errors = new List<string>();
        if (string.IsNullOrEmpty(Username) || string.IsNullOrEmpty(Password))
        {
            errors.Add("Bounces:Imap:Username and Bounces:Imap:Password are required with Bounces:Imap:Host.");
        }

        if (Port is < 0 or > 65535)
        {
            errors.Add($"Bounces:Imap:Port must be 1-65535, not {Port}.");
        }

        if (PollInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add("Bounces:Imap:PollInterval must be at least one second.");
        }

        if (string.IsNullOrWhiteSpace(Folder))
        {
            errors.Add("Bounces:Imap:Folder must not be empty.");
        }

        return errors;
    }

    /// <summary>For logs: everything but the password.</summary>
    public override string ToString() => $"{Username}@{Host}:{EffectivePort}/{Folder} (tls {(UseTls ? "on" : "off")})";
}
