using System.Net;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Domain.Tenants;

/// <summary>Validates a tenant's pool of sending IPs.</summary>
public static class IpPool
{
    public const int MaxIps = 256;

    /// <summary>Canonical addresses in the given order, or the first problem found (field <c>ips[i]</c>).</summary>
    public static Outcome<IReadOnlyList<string>> Normalize(IReadOnlyList<string>? ips)
    {
        if (ips is null)
        {
            return CommandError.Invalid("ips", "is required");
        }

        if (ips.Count > MaxIps)
        {
            return CommandError.Invalid("ips", $"has more than {MaxIps} addresses");
        }

        var result = new List<string>(ips.Count);
        for (var i = 0; i < ips.Count; i++)
        {
            if (!IPAddress.TryParse(ips[i]?.Trim(), out var ip) || ips[i].Contains('/'))
            {
                return CommandError.Invalid($"ips[{i}]", $"'{ips[i]}' is not an IP address");
            }

            if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) || ip.Equals(IPAddress.Broadcast) || IsMulticast(ip))
            {
                return CommandError.Invalid($"ips[{i}]", $"'{ips[i]}' cannot be a sending address");
            }

            var canonical = ip.ToString();
            if (result.Contains(canonical))
            {
                return CommandError.Invalid($"ips[{i}]", $"'{canonical}' is listed twice");
            }

            result.Add(canonical);
        }

        return Outcome<IReadOnlyList<string>>.Ok(result);
    }

    private static bool IsMulticast(IPAddress ip) =>
        ip.IsIPv6Multicast || (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && ip.GetAddressBytes()[0] is >= 224 and <= 239);
}
