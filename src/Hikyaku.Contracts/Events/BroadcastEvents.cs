namespace Hikyaku.Contracts.Events;

/// <summary>Events on a broadcast's stream (<c>broadcast:{tenantId}/{broadcastId}</c>).</summary>
[GenerateSerializer]
public abstract record BroadcastEvent(Guid EventId, DateTimeOffset At) : IDomainEvent;

/// <summary>一斉送信 / 号外 accepted: the content, and when it should go out.</summary>
[GenerateSerializer]
public sealed record BroadcastCreated(
    Guid EventId,
    DateTimeOffset At,
    string MagazineId,
    string Subject,
    string TextBody,
    string? HtmlBody,
    DateTimeOffset? SendAt) : BroadcastEvent(EventId, At);

/// <summary>
/// One page of the audience, fixed when sending starts (the active readers at that moment, in email order).
/// Stored before any of them is handed to a lane, so a crash resumes with exactly the same readers.
/// </summary>
[GenerateSerializer]
public sealed record BroadcastAudiencePaged(Guid EventId, DateTimeOffset At, int Page, IReadOnlyList<string> Emails) : BroadcastEvent(EventId, At);

/// <param name="SourceIps">The tenant's pool when sending started.</param>
[GenerateSerializer]
public sealed record BroadcastStarted(Guid EventId, DateTimeOffset At, int Total, int Pages, IReadOnlyList<string> SourceIps) : BroadcastEvent(EventId, At);

/// <summary>Outcomes reported by the lanes, in batches.</summary>
[GenerateSerializer]
public sealed record BroadcastResultsRecorded(Guid EventId, DateTimeOffset At, IReadOnlyList<RecipientResult> Results) : BroadcastEvent(EventId, At);

[GenerateSerializer]
public sealed record BroadcastFinished(Guid EventId, DateTimeOffset At) : BroadcastEvent(EventId, At);

/// <summary>What became of one reader of a broadcast.</summary>
/// <param name="Result">One of <see cref="Model.RecipientResults"/>.</param>
/// <param name="Reason">The bounce reason when <paramref name="Result"/> is <c>bounced</c>.</param>
/// <param name="Reopens">An error stop taken back: a block was found behind it, and the reader is held instead (its only
/// way out of a final result).</param>
[GenerateSerializer, Immutable, Alias("hikyaku.recipient-result")]
public sealed record RecipientResult(
    [property: Id(0)] int Page,
    [property: Id(1)] int Index,
    [property: Id(2)] string Result,
    [property: Id(3)] string? Reason,
    [property: Id(4), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] bool Reopens = false);
