namespace Hikyaku.Smtp;

/// <summary>
/// How to use a tenant's relay (smarthost) instead of the recipients' MX: TLS (implicit on port 465, else STARTTLS,
/// required), SMTP AUTH with the tenant's user and password when one is set.
/// </summary>
/// <param name="Username">The relay user; null for a relay that authorises by address.</param>
/// <param name="Password">The relay password, opened from its sealed form only for the session; never logged.</param>
/// <param name="UseTls">Encrypt the session before authenticating (RFC 3207 / RFC 8314); the certificate is checked.</param>
public sealed record RelayLogin(string? Username, string? Password, bool UseTls)
{
    /// <summary>No password in logs, transcripts or exception messages that print the record.</summary>
    public override string ToString() => $"RelayLogin {{ Username = {Username}, UseTls = {UseTls} }}";
}
