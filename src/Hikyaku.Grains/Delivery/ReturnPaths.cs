using Hikyaku.Domain.Bounces;

namespace Hikyaku.Grains.Delivery;

/// <summary>
/// Each reader's envelope sender: <c>bounce+{token}@{bounce domain}</c> when a bounce domain is configured
/// (<c>Bounces:Domain</c>), so a late bounce or complaint finds its reader; otherwise null, and the message
/// goes with the magazine's From address as its return path, as before.
/// </summary>
public sealed class ReturnPaths(ReturnPathToken tokens, string? bounceDomain)
{
    public string? BounceDomain => bounceDomain;

    public string? For(string tenantId, string magazineId, string email, string messageKey) =>
        string.IsNullOrEmpty(bounceDomain) ? null : tokens.Address(new ReturnPath(tenantId, magazineId, email, messageKey), bounceDomain);
}
