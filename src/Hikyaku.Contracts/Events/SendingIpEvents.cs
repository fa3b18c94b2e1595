using Hikyaku.Contracts.Model;
namespace Hikyaku.Contracts.Events;

/// <summary>Events on a sending IP's stream (<c>ip:{address}</c>).</summary>
[GenerateSerializer]
public abstract record SendingIpEvent(Guid EventId, DateTimeOffset At) : IDomainEvent;

[GenerateSerializer]
public sealed record SendingIpAssigned(Guid EventId, DateTimeOffset At, string TenantId) : SendingIpEvent(EventId, At);

/// <summary>
/// <see cref="Count"/> messages accepted by receiving servers from this IP on <see cref="Day"/> (UTC), counted by a
/// lane per batch rather than per message. <see cref="Site"/>: the provider site that accepted them (null in events
/// written before warm-up counted per provider).
/// </summary>
[GenerateSerializer]
public sealed record SendingIpSentCounted(Guid EventId, DateTimeOffset At, DateOnly Day, int Count, string? Site = null) : SendingIpEvent(EventId, At);

/// <summary>
/// The IP (re)starts its warm-up at <see cref="Day"/>: toward every provider when <see cref="Provider"/> is null (a new IP,
/// or an operator's restart), else toward that provider only (an operator's restart, or a lane back from a long cooldown).
/// </summary>
/// <param name="By">Who started it: <c>assigned</c>, <c>admin</c> or <c>cooldown:{blockId}</c>.</param>
[GenerateSerializer]
public sealed record SendingIpWarmupStarted(Guid EventId, DateTimeOffset At, int Day, string? Provider, string By) : SendingIpEvent(EventId, At);

/// <summary>The IP is warm (no cap) toward every provider when <see cref="Provider"/> is null, else toward that provider.</summary>
[GenerateSerializer]
public sealed record SendingIpWarmupEnded(Guid EventId, DateTimeOffset At, string? Provider, string By) : SendingIpEvent(EventId, At);

/// <summary>The DNS block lists listing the IP changed (raised only on a change, not on every hourly check).</summary>
[GenerateSerializer]
public sealed record SendingIpDnsblChanged(Guid EventId, DateTimeOffset At, IReadOnlyList<DnsblListing> Listed) : SendingIpEvent(EventId, At);

[GenerateSerializer]
public sealed record SendingIpReleased(Guid EventId, DateTimeOffset At, string TenantId) : SendingIpEvent(EventId, At);
