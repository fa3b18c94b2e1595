namespace Hikyaku.Smtp;

/// <summary>
/// How Hikyaku talks SMTP to the outside world (configuration section <c>Delivery</c>). Defaults
/// are those of a real MTA on port 25; tests and operators override the port and the routes.
/// </summary>
public sealed class DeliveryOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Delivery";

    /// <summary>The port MX hosts are contacted on (RFC 5321 §4.5.4: 25 for relay between MTAs).</summary>
    public int SmtpPort { get; set; } = 25;

    /// <summary>
    /// Routing overrides: recipient domain pattern (<c>example.jp</c> or <c>*.example.jp</c>) →
    /// <c>host:port</c>, consulted before DNS (see <see cref="DeliveryRoutes"/>).
    /// </summary>
    public Dictionary<string, string> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The name given in EHLO; RFC 5321 §4.1.1.1 wants the sender's FQDN. Defaults to the machine name.</summary>
    public string HeloName { get; set; } = Environment.MachineName;

    /// <summary>How long a TCP connect plus the 220 banner may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one command may wait for its reply (RFC 5321 §4.5.3.2 suggests minutes; providers answer in seconds).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Messages sent over one session before it is closed with QUIT and a new one opened.</summary>
    public int MaxMessagesPerConnection { get; set; } = 100;

    /// <summary>An open connection unused for this long is closed (providers drop idle sessions themselves after a minute or so).</summary>
    public TimeSpan IdleConnectionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most connections open at once per (source IP, MX endpoint), across concurrent batches.</summary>
    public int MaxConnectionsPerTarget { get; set; } = 8;

    /// <summary>
    /// Use STARTTLS when the server offers it (opportunistic TLS, RFC 3207 and RFC 7435: the
    /// certificate is not checked, since the alternative is cleartext). Off by default: loopback
    /// sandboxes gain nothing from TLS, and it costs a handshake per session.
    /// </summary>
    public bool OpportunisticTls { get; set; }

    /// <summary>
    /// SHA-256 fingerprints (hex) of relay certificates to accept although no trusted authority signed them (a relay with a
    /// self-signed certificate). Others are checked the usual way.
    /// </summary>
    public List<string> TrustedRelayCertificates { get; set; } = [];

    /// <summary>Deliver only to the built-in simulated providers (the silo decides; carried here as configuration).</summary>
    public bool Sandbox { get; set; } = true;

    /// <summary>The problems with these options, empty when they are usable; run at start-up.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (SmtpPort is < 1 or > 65535) errors.Add($"Delivery:SmtpPort must be 1-65535, not {SmtpPort}.");
        if (string.IsNullOrWhiteSpace(HeloName)) errors.Add("Delivery:HeloName must not be empty.");
        if (ConnectTimeout <= TimeSpan.Zero) errors.Add("Delivery:ConnectTimeout must be positive.");
        if (CommandTimeout <= TimeSpan.Zero || CommandTimeout.TotalMilliseconds > int.MaxValue)
            errors.Add("Delivery:CommandTimeout must be positive and below 24 days.");
        if (MaxMessagesPerConnection < 1) errors.Add("Delivery:MaxMessagesPerConnection must be at least 1.");
        if (IdleConnectionTimeout <= TimeSpan.Zero) errors.Add("Delivery:IdleConnectionTimeout must be positive.");
        if (MaxConnectionsPerTarget < 1) errors.Add("Delivery:MaxConnectionsPerTarget must be at least 1.");
        foreach (var (pattern, target) in Routes)
        {
            if (!DeliveryRoutes.IsValidPattern(pattern)) errors.Add($"Delivery:Routes: '{pattern}' is not a domain or *.domain pattern.");
            if (!DeliveryRoutes.TryParseTarget(target, out _, out _)) errors.Add($"Delivery:Routes:{pattern}: '{target}' is not host:port.");
        }
        return errors;
    }
}
