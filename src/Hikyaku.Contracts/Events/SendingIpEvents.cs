using Hikyaku.Contracts.Model;
namespace Hikyaku.Contracts.Events;

/// <summary>Events on a sending IP's stream (<c>ip:{address}</c>).</summary>
[GenerateSerializer]
public abstract record SendingIpEvent(Guid EventId, DateTimeOffset At) : IDomainEvent;

[GenerateSerializer]
public sealed record SendingIpAssigned(Guid EventId, DateTimeOffset At, string TenantId) : SendingIpEvent(EventId, At);

/// <summary>
/// <see cref="Count"/> messages accepted by receiving servers from this IP on <see cref="Day"/> (UTC), counted by a
/// lane per batch rather than per message.
/// </summary>
[GenerateSerializer]
public sealed record SendingIpSentCounted(Guid EventId, DateTimeOffset At, DateOnly Day, int Count) : SendingIpEvent(EventId, At);

/// <summary>The DNS block lists listing the IP changed (raised only on a change, not on every hourly check).</summary>
[GenerateSerializer]
public sealed record SendingIpDnsblChanged(Guid EventId, DateTimeOffset At, IReadOnlyList<DnsblListing> Listed) : SendingIpEvent(EventId, At);

[GenerateSerializer]
public sealed record SendingIpReleased(Guid EventId, DateTimeOffset At, string TenantId) : SendingIpEvent(EventId, At);
