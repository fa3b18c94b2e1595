using System.Net;

namespace Hikyaku.Grains.Delivery;

public enum RouteStatus
{
    Ok,

    /// <summary>The domain cannot receive mail (NXDOMAIN, null MX): the address is dead.</summary>
    Permanent,

    /// <summary>DNS could not answer now: try again later.</summary>
    Temporary,
}

/// <summary>Where mail for a domain goes, and the provider site it belongs to.</summary>
/// <param name="SiteId">The rolled-up destination (e.g. <c>microsoft</c>): lanes are per site and sending IP.</param>
public sealed record DeliveryRoute(RouteStatus Status, string SiteId, string MxHost, IPEndPoint? Target, string? Error)
{
    /// <summary>Every MX host of the domain, best first, when the route came from DNS (for diagnosis).</summary>
    public IReadOnlyList<string> MxHosts { get; init; } = [];

    public static DeliveryRoute Fail(RouteStatus status, string domain, string error) => new(status, domain, domain, null, error);
}

/// <summary>Resolves a recipient domain to its route: sandbox providers, configured routes, or DNS MX.</summary>
public interface IDeliveryRouter
{
    ValueTask<DeliveryRoute> RouteAsync(string domain, CancellationToken cancellationToken = default);
}
