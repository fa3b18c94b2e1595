using System.IO.Hashing;
using System.Text;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Grains.Delivery;

/// <summary>
/// Picks each reader's lane toward a site: the tenant's pool of sending IPs, the site's gate for each, and a pure rotation
/// decision over them (<see cref="Choose(string, IReadOnlyList{string}, Func{string, bool}, string?)"/>). Used wherever
/// readers are handed to lanes (a broadcast's dispatch, a blocked lane moving its readers), so routing is decided in one place.
/// </summary>
public sealed class LaneRouting(IGrainFactory grains)
{
    /// <summary>The tenant's sending IPs (the host's default address for a tenant without any).</summary>
    public async Task<IReadOnlyList<string>> PoolOf(string tenantId) =>
        await grains.GetGrain<ITenantGrain>(tenantId).Get() is { Ips.Count: > 0 } tenant ? tenant.Ips : [LaneKeys.DefaultSource];

    /// <summary>
    /// The lane key for each reader: a clean IP of <paramref name="pool"/> for the site, never <paramref name="avoidIp"/>;
    /// null for a reader when there is none (the caller keeps it held, or gives it to the relay). Among clean IPs those
    /// with warm-up room toward the site today come first; with <paramref name="requireRoom"/> they are the only choice
    /// (readers over a warming IP's cap go only where they can be sent today).
    /// </summary>
    public async Task<IReadOnlyList<string?>> Choose(string siteId, IReadOnlyList<string> pool, IReadOnlyList<string> emails, string? avoidIp = null, bool requireRoom = false)
    {
        var gates = (await grains.GetGrain<IRecipientDomainGrain>(siteId).Gates(pool)).ToDictionary(g => g.SourceIp, StringComparer.Ordinal);
        var full = await Full(siteId, pool);
        bool Clean(string ip) => !gates.TryGetValue(ip, out var gate) || gate.Clean;
        return emails.Select(email =>
        {
            var ip = Choose(email, pool, ip => Clean(ip) && !full.Contains(ip), avoidIp)
                ?? (requireRoom ? null : Choose(email, pool, Clean, avoidIp));
            return ip is null ? null : LaneKeys.For(siteId, ip);
        }).ToList();
    }

    /// <summary>The IPs of <paramref name="pool"/> whose warm-up cap toward <paramref name="siteId"/> is used up today.</summary>
    public async Task<IReadOnlySet<string>> Full(string siteId, IReadOnlyList<string> pool)
    {
        if (siteId == LaneKeys.RelaySite)
        {
            return new HashSet<string>();
        }

        var ips = pool.Where(ip => ip != LaneKeys.DefaultSource).ToList();
        var warmups = await Task.WhenAll(ips.Select(ip => grains.GetGrain<ISendingIpGrain>(ip).WarmupToward(siteId)));
        return ips.Where((_, i) => warmups[i].Room == 0).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The lane for each reader of <paramref name="tenantId"/>: a clean IP of the pool for the site, else the tenant's relay
    /// when it has one configured and open, else null (the reader waits, held, for a lane to reopen).
    /// </summary>
    public async Task<IReadOnlyList<string?>> Place(string tenantId, string siteId, IReadOnlyList<string> pool, IReadOnlyList<string> emails, string? avoidIp = null)
    {
        var chosen = await Choose(siteId, pool, emails, avoidIp);
        if (siteId == LaneKeys.RelaySite || chosen.All(c => c is not null) || !await RelayOpen(tenantId))
        {
            return chosen;
        }

        var relay = LaneKeys.Relay(tenantId);
        return chosen.Select(c => c ?? relay).ToList();
    }

    /// <summary>Whether the tenant has a relay and it is not itself refusing (its replies are judged like a lane's).</summary>
    public async Task<bool> RelayOpen(string tenantId)
    {
        if ((await grains.GetGrain<ITenantGrain>(tenantId).GetSendingSettings()).Relay is null)
        {
            return false;
        }

        var gates = await grains.GetGrain<IRecipientDomainGrain>(LaneKeys.RelaySite).Gates([LaneKeys.RelaySource(tenantId)]);
        return gates[0].Clean;
    }

    /// <summary>The lane key a reader waits on when no lane is clean: its place in the whole pool, as if every lane were open.</summary>
    public static string Fallback(string siteId, IReadOnlyList<string> pool, string email) =>
        LaneKeys.For(siteId, Choose(email, pool, _ => true, null) ?? pool[0]);

    /// <summary>
    /// Rendezvous (highest random weight) hashing of the reader over the pool's clean IPs: a reader keeps its IP while the pool
    /// and the lanes' states stay the same, and when one IP leaves (blocked) only that IP's readers move, spread over the rest.
    /// </summary>
    public static string? Choose(string email, IReadOnlyList<string> pool, Func<string, bool> clean, string? avoidIp)
    {
        string? best = null;
        uint bestWeight = 0;
        foreach (var ip in pool)
        {
            if (ip == avoidIp || !clean(ip))
            {
                continue;
            }

            var weight = XxHash32.HashToUInt32(Encoding.UTF8.GetBytes($"{ip}|{email}"));
            if (best is null || weight > bestWeight || (weight == bestWeight && string.CompareOrdinal(ip, best) < 0))
            {
                (best, bestWeight) = (ip, weight);
            }
        }

        return best;
    }
}
