namespace Hikyaku.Contracts.Events;

/// <summary>Events on a magazine's stream (<c>magazine:{tenantId}/{magazineId}</c>).</summary>
[GenerateSerializer]
public abstract record MagazineEvent(Guid EventId, DateTimeOffset At) : IDomainEvent;

[GenerateSerializer]
public sealed record MagazineCreated(Guid EventId, DateTimeOffset At, string Name, string FromAddress, string? FromName)
    : MagazineEvent(EventId, At);

/// <summary>The magazine's step sequence was replaced: every story, each with when its id entered the sequence.</summary>
[GenerateSerializer]
public sealed record MagazineStepsSet(Guid EventId, DateTimeOffset At, IReadOnlyList<Model.StoryStep> Steps) : MagazineEvent(EventId, At);

/// <summary>Some of the magazine's settings changed; a null field kept its value.</summary>
/// <param name="CatchUp">One of <see cref="Model.CatchUpPolicies"/>.</param>
[GenerateSerializer]
public sealed record MagazineSettingsChanged(Guid EventId, DateTimeOffset At, string? Name, string? FromAddress, string? FromName, string? CatchUp)
    : MagazineEvent(EventId, At);

/// <summary>Every reader's next story was decided again against the sequence set at <paramref name="Through"/>.</summary>
[GenerateSerializer]
public sealed record MagazineStepsRescheduled(Guid EventId, DateTimeOffset At, DateTimeOffset Through) : MagazineEvent(EventId, At);
