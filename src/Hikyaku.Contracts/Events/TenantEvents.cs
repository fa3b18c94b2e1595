namespace Hikyaku.Contracts.Events;

/// <summary>Events on a tenant's stream (<c>tenant:{tenantId}</c>).</summary>
[GenerateSerializer]
public abstract record TenantEvent(Guid EventId, DateTimeOffset At) : IDomainEvent;

/// <param name="ApiKeyHash">SHA-256 of the key's secret part, hex; the key itself is never stored.</param>
[GenerateSerializer]
public sealed record TenantCreated(Guid EventId, DateTimeOffset At, string Name, string ApiKeyHash) : TenantEvent(EventId, At);

/// <summary>The tenant's dedicated sending IPs (its pool) were replaced by <see cref="Ips"/>.</summary>
[GenerateSerializer]
public sealed record TenantIpPoolSet(Guid EventId, DateTimeOffset At, IReadOnlyList<string> Ips) : TenantEvent(EventId, At);

/// <summary>A broadcast of this tenant, for its delivery history (配信履歴).</summary>
[GenerateSerializer]
public sealed record TenantBroadcastRegistered(Guid EventId, DateTimeOffset At, string BroadcastId, string MagazineId) : TenantEvent(EventId, At);

/// <summary>The tenant's DKIM key was set (or replaced); the private key inside is sealed.</summary>
[GenerateSerializer]
public sealed record TenantDkimKeySet(Guid EventId, DateTimeOffset At, Model.DkimSettings Dkim) : TenantEvent(EventId, At);

/// <summary>The tenant's mail goes out unsigned from now on.</summary>
[GenerateSerializer]
public sealed record TenantDkimKeyRemoved(Guid EventId, DateTimeOffset At) : TenantEvent(EventId, At);

[GenerateSerializer]
public sealed record TenantSendingSettingsChanged(Guid EventId, DateTimeOffset At, Model.SendingSettings Settings) : TenantEvent(EventId, At);

/// <summary>The tenant's seed addresses (its own mailboxes at providers) were replaced by <see cref="Items"/>.</summary>
[GenerateSerializer]
public sealed record TenantSeedAddressesSet(Guid EventId, DateTimeOffset At, IReadOnlyList<Model.SeedAddress> Items) : TenantEvent(EventId, At);
