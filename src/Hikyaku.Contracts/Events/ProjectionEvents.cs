namespace Hikyaku.Contracts.Events;

/// <summary>Events on a projection rebuild's stream (<c>projection:{name}</c>): the job's progress, kept across restarts.</summary>
[GenerateSerializer]
public abstract record ProjectionRebuildEvent(Guid EventId, DateTimeOffset At) : IDomainEvent;

/// <summary>A full rebuild began: its checkpoint was cleared first, so it reads the log from the start.</summary>
[GenerateSerializer]
public sealed record ProjectionRebuildStarted(Guid EventId, DateTimeOffset At) : ProjectionRebuildEvent(EventId, At);

/// <summary>One page of the log was rebuilt and the checkpoint moved to <see cref="Position"/>.</summary>
[GenerateSerializer]
public sealed record ProjectionRebuildPaged(Guid EventId, DateTimeOffset At, long Position, int StreamsStarted, int RowsWritten)
    : ProjectionRebuildEvent(EventId, At);

/// <summary>The rebuild reached the end of the log.</summary>
[GenerateSerializer]
public sealed record ProjectionRebuildFinished(Guid EventId, DateTimeOffset At, long Position) : ProjectionRebuildEvent(EventId, At);
