namespace Hikyaku.Contracts.Events;

/// <summary>Events on a directory's stream (<c>directory:{key}</c>): the ids that list routes page through.</summary>
[GenerateSerializer]
public abstract record DirectoryEvent(Guid EventId, DateTimeOffset At) : IDomainEvent;

/// <summary><see cref="Id"/> (a tenant's or a magazine's) joined the directory.</summary>
[GenerateSerializer]
public sealed record DirectoryEntryAdded(Guid EventId, DateTimeOffset At, string Id) : DirectoryEvent(EventId, At);
