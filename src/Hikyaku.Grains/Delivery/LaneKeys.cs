namespace Hikyaku.Grains.Delivery;

/// <summary>Lane keys: <c>{siteId}/{sourceIp}</c>. A tenant without a pool sends from the host's default address.</summary>
public static class LaneKeys
{
    public const string DefaultSource = "default";

    public static string For(string siteId, string sourceIp) => $"{siteId}/{sourceIp}";

    public static (string SiteId, string SourceIp) Split(string key)
    {
        var slash = key.LastIndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }
}
