namespace Hikyaku.Domain.Providers;

/// <summary>
/// A mailbox provider whose MX hosts serve many recipient domains, so that what one lane learns
/// about a sending IP toward it applies to all of them (one <see cref="Site"/>).
/// </summary>
/// <param name="Id">Stable id, also the site id: <c>microsoft</c>, <c>google</c>, <c>docomo</c>…</param>
/// <param name="Name">Display name.</param>
/// <param name="Domains">Recipient domains the provider is known to host (lower case).</param>
/// <param name="MxPatterns">MX host name patterns; see <see cref="MxHostPattern"/>.</param>
/// <param name="ExampleMxHosts">MX host names these domains published; every pattern must match one.</param>
/// <param name="DelistUrl">The provider's delisting / sender contact form, when it has a public one.</param>
/// <param name="Defaults">Hikyaku's starting limits toward this provider.</param>
/// <param name="Source">The postmaster page the facts come from.</param>
public sealed record Provider(
    string Id,
    string Name,
    IReadOnlyList<string> Domains,
    IReadOnlyList<MxHostPattern> MxPatterns,
    IReadOnlyList<string> ExampleMxHosts,
    Uri? DelistUrl,
    ProviderDefaults Defaults,
    Uri Source)
{
    /// <summary>True when <paramref name="hostName"/> matches one of <see cref="MxPatterns"/>.</summary>
    public bool OwnsMxHost(string hostName) => MxPatterns.Any(p => p.Matches(hostName));
}

/// <summary>
/// Conservative starting limits for a sending IP toward one provider. They are Hikyaku's own
/// choice (providers do not publish numbers); the block loop adapts from there.
/// </summary>
/// <param name="Cooldown">How long a blocked lane rests before probing again.</param>
/// <param name="MaxConnectionsPerIp">Parallel SMTP connections from one IP.</param>
/// <param name="MaxMessagesPerMinutePerIp">Messages per minute from one IP.</param>
public sealed record ProviderDefaults(TimeSpan Cooldown, int MaxConnectionsPerIp, int MaxMessagesPerMinutePerIp);
