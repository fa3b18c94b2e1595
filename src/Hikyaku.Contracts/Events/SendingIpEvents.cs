namespace Hikyaku.Contracts.Events;

/// <summary>Events on a sending IP's stream (<c>ip:{address}</c>).</summary>
[GenerateSerializer]
public abstract record SendingIpEvent(Guid EventId, DateTimeOffset At) : IDomainEvent;

[GenerateSerializer]
public sealed record SendingIpAssigned(Guid EventId, DateTimeOffset At, string TenantId) : SendingIpEvent(EventId, At);

[GenerateSerializer]
public sealed record SendingIpReleased(Guid EventId, DateTimeOffset At, string TenantId) : SendingIpEvent(EventId, At);
