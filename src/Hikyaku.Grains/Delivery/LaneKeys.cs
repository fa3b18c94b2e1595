namespace Hikyaku.Grains.Delivery;

/// <summary>Lane keys: <c>{siteId}/{sourceIp}</c>. A tenant without a pool sends from the host's default address.</summary>
public static class LaneKeys
{
    public const string DefaultSource = "default";

    /// <summary>The site of every tenant's relay lane: the relay's replies are judged as one more lane.</summary>
    public const string RelaySite = "relay";

    public static string For(string siteId, string sourceIp) => $"{siteId}/{sourceIp}";

    private const string RelayPrefix = "relay:";

    /// <summary>The lane through <paramref name="tenantId"/>'s relay (smarthost), for readers of every provider.</summary>
    public static string Relay(string tenantId) => For(RelaySite, RelaySource(tenantId));

    /// <summary>The source of <paramref name="tenantId"/>'s relay lane, where a sending IP's lane has its address.</summary>
    public static string RelaySource(string tenantId) => RelayPrefix + tenantId;

    /// <summary>The tenant whose relay a relay lane's source names.</summary>
    public static string RelayTenant(string sourceIp) => sourceIp[RelayPrefix.Length..];

    /// <summary>Whether a lane's source is a tenant's relay rather than a sending IP.</summary>
    public static bool IsRelay(string sourceIp) => sourceIp.StartsWith(RelayPrefix, StringComparison.Ordinal);

    /// <summary>
    /// The local address a lane's connections are bound to: the sending IP itself; any address for the host's default source
    /// and for a relay (the relay is reached from wherever the host routes).
    /// </summary>
    public static System.Net.IPAddress BindAddress(string sourceIp) =>
        sourceIp == DefaultSource || IsRelay(sourceIp) ? System.Net.IPAddress.Any : System.Net.IPAddress.Parse(sourceIp);

    public static (string SiteId, string SourceIp) Split(string key)
    {
        var slash = key.LastIndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }
}
