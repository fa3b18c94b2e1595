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

    /// <summary>A mailbox polled over POP3, the same alternative where only POP3 is offered.</summary>
    public Pop3Options Pop3 { get; set; } = new();

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

        if ((!string.IsNullOrWhiteSpace(Listen) || Imap.Enabled || Pop3.Enabled) && !ReturnPathsOn)
        {
            errors.Add("Bounces:Domain is required when Bounces:Listen, Bounces:Imap:Host or Bounces:Pop3:Host is set (it is how a report finds its reader).");
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
        errors.AddRange(Pop3.Validate());
        return errors;
    }
}

/// <summary>A mailbox polled for reports; off while <see cref="Host"/> is empty.</summary>
public abstract class MailboxOptions
{
    public string? Host { get; set; }

    /// <summary>0 for the protocol's default port (with or without <see cref="UseTls"/>).</summary>
    public int Port { get; set; }

    public string? Username { get; set; }

    /// <summary>Never logged, never shown.</summary>
    public string? Password { get; set; }

    /// <summary>TLS from the first byte (the protocol's TLS port) or STARTTLS on another port; off only for a mailbox on loopback.</summary>
    public bool UseTls { get; set; } = true;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The port used: <see cref="Port"/>, or the protocol's default.</summary>
    public int EffectivePort => Port > 0 ? Port : UseTls ? TlsPort : PlainPort;

    /// <summary>The protocol's port for TLS from the first byte (993 IMAP, 995 POP3).</summary>
    public abstract int TlsPort { get; }

    protected abstract int PlainPort { get; }

    /// <summary>The configuration section, for error messages: <c>Bounces:Imap</c> or <c>Bounces:Pop3</c>.</summary>
    protected abstract string Section { get; }

    public virtual IReadOnlyList<string> Validate()
    {
        if (!Enabled)
        {
            return [];
        }

        var errors = new List<string>();
        if (string.IsNullOrEmpty(Username) || string.IsNullOrEmpty(Password))
        {
            errors.Add($"{Section}:Username and {Section}:Password are required with {Section}:Host.");
        }

        if (Port is < 0 or > 65535)
        {
            errors.Add($"{Section}:Port must be 1-65535, not {Port}.");
        }

        if (PollInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{Section}:PollInterval must be at least one second.");
        }

        return errors;
    }

    /// <summary>For logs: everything but the password.</summary>
    public override string ToString() => $"{Username}@{Host}:{EffectivePort} (tls {(UseTls ? "on" : "off")})";
}

/// <summary>The IMAP mailbox polled for reports (<c>Bounces:Imap</c>): reports are deleted once recorded, set aside with a keyword otherwise.</summary>
public sealed class ImapOptions : MailboxOptions
{
    public string Folder { get; set; } = "INBOX";

    public override int TlsPort => 993;

    protected override int PlainPort => 143;

    protected override string Section => "Bounces:Imap";

    public override IReadOnlyList<string> Validate() =>
        Enabled && string.IsNullOrWhiteSpace(Folder) ? [.. base.Validate(), "Bounces:Imap:Folder must not be empty."] : base.Validate();

    public override string ToString() => $"{Username}@{Host}:{EffectivePort}/{Folder} (tls {(UseTls ? "on" : "off")})";
}

/// <summary>
/// The POP3 mailbox polled for reports (<c>Bounces:Pop3</c>), for a bounce mailbox offered only over POP3. POP3 has
/// no flags: a report that cannot be used stays in the mailbox, is skipped by its UIDL while the silo runs, and is
/// logged again after a restart.
/// </summary>
public sealed class Pop3Options : MailboxOptions
{
    public override int TlsPort => 995;

    protected override int PlainPort => 110;

    protected override string Section => "Bounces:Pop3";
}
