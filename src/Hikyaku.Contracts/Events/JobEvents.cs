namespace Hikyaku.Contracts.Events;

/// <summary>Events on a background job's stream (<c>job:{tenantId}/{jobId}</c>).</summary>
[GenerateSerializer]
public abstract record JobEvent(Guid EventId, DateTimeOffset At) : IDomainEvent;

/// <summary>A job to resend the missed step stories of a magazine's readers, and which readers (null: no filter).</summary>
/// <param name="Status">Only readers with this status.</param>
/// <param name="Provider">Only readers whose domain is served by this provider (site), e.g. <c>microsoft</c>.</param>
/// <param name="BlockId">Only readers that block held or error-stopped.</param>
[GenerateSerializer]
public sealed record ResendMissedJobStarted(Guid EventId, DateTimeOffset At, string MagazineId, string? Status, string? Provider, string? BlockId) : JobEvent(EventId, At);

/// <summary>How many readers the job has to go through.</summary>
[GenerateSerializer]
public sealed record JobCounted(Guid EventId, DateTimeOffset At, int Total) : JobEvent(EventId, At);

/// <summary>One page done: readers up to <paramref name="After"/> (an address, in order) are through.</summary>
[GenerateSerializer]
public sealed record JobProgressed(Guid EventId, DateTimeOffset At, string After, int Done, int Failed) : JobEvent(EventId, At);

[GenerateSerializer]
public sealed record JobFinished(Guid EventId, DateTimeOffset At) : JobEvent(EventId, At);
