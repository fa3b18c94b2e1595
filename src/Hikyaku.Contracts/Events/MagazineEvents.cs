namespace Hikyaku.Contracts.Events;

/// <summary>Events on a magazine's stream (<c>magazine:{tenantId}/{magazineId}</c>).</summary>
[GenerateSerializer]
public abstract record MagazineEvent(Guid EventId, DateTimeOffset At) : IDomainEvent;

[GenerateSerializer]
public sealed record MagazineCreated(Guid EventId, DateTimeOffset At, string Name, string FromAddress, string? FromName)
    : MagazineEvent(EventId, At);
