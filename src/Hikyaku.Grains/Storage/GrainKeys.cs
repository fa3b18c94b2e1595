using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Grains.Storage;

/// <summary>
/// Grain keys and stream ids. Tenant and magazine ids cannot contain '/', so the first two separators of
/// <c>{tenant}/{magazine}/{email}</c> are unambiguous even when the address contains '/'.
/// </summary>
public static class GrainKeys
{
    public static string Magazine(string tenantId, string magazineId) => $"{tenantId}/{magazineId}";

    public static string Reader(string tenantId, string magazineId, string email) => $"{tenantId}/{magazineId}/{email}";

    public static string Broadcast(string tenantId, string broadcastId) => $"{tenantId}/{broadcastId}";

    /// <summary>The grain that holds <paramref name="message"/>'s content and counts its results.</summary>
    public static IMessageGrain Message(IGrainFactory grains, string tenantId, string magazineId, MessageKey message) => message.Kind switch
    {
        MessageKind.Broadcast => grains.GetGrain<IBroadcastGrain>(Broadcast(tenantId, message.Id)),
        _ => grains.GetGrain<IStoryGrain>(Story(tenantId, magazineId, message.Id)),
    };

    /// <summary>A step story of a magazine: <c>{tenant}/{magazine}/{story}</c> (story ids cannot contain '/').</summary>
    public static string Story(string tenantId, string magazineId, string storyId) => $"{tenantId}/{magazineId}/{storyId}";

    public static string Import(string tenantId, string importId) => $"{tenantId}/{importId}";

    public static (string TenantId, string Remainder) SplitTenant(string key)
    {
        var slash = key.IndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }

    public static (string TenantId, string MagazineId, string Email) SplitReader(string key)
    {
        var (tenant, rest) = SplitTenant(key);
        var (magazine, email) = SplitTenant(rest);
        return (tenant, magazine, email);
    }
}
