namespace Hikyaku.Contracts.Events;

/// <summary>
/// Events on a reader's stream (<c>reader:{tenantId}/{magazineId}/{email}</c>): the reader's whole history.
/// Everything the API shows about a reader is a fold over these.
/// </summary>
[GenerateSerializer]
public abstract record ReaderEvent(Guid EventId, DateTimeOffset At) : IDomainEvent;

/// <param name="Source">How the reader came: <c>api</c>, or <c>import:{importId}</c>.</param>
[GenerateSerializer]
public sealed record ReaderSubscribed(
    Guid EventId,
    DateTimeOffset At,
    string Email,
    string? Name,
    IReadOnlyDictionary<string, string>? Fields,
    string Source) : ReaderEvent(EventId, At);

/// <param name="Reason"><c>api</c>, <c>one-click</c> (RFC 8058), <c>complaint</c>.</param>
[GenerateSerializer]
public sealed record ReaderUnsubscribed(Guid EventId, DateTimeOffset At, string Reason) : ReaderEvent(EventId, At);

/// <summary>Delivery paused because the provider is blocking the sending IP: not the reader's fault.</summary>
/// <param name="Reason"><c>block:{blockId}</c>, or the reply's reason.</param>
/// <param name="Reopens">The message whose error stop this hold takes back (a block found behind the error stop): its
/// result is open again, and it is sent from a clean lane.</param>
[GenerateSerializer]
public sealed record ReaderHeld(Guid EventId, DateTimeOffset At, string Reason, string? Provider, string? SourceIp, string? Reply, string? Reopens = null)
    : ReaderEvent(EventId, At);

/// <summary>
/// The reader was held (its provider blocking every lane it could go out from) for longer than <c>Blocks:MaxHold</c>: the
/// message ends for it as <c>held-expired</c>. The reader is not error-stopped; its status does not change.
/// </summary>
/// <param name="Message">The message key.</param>
/// <param name="BlockId">The block that held it, when known.</param>
[GenerateSerializer]
public sealed record ReaderHoldExpired(Guid EventId, DateTimeOffset At, string Message, string? BlockId, DateTimeOffset HeldSince)
    : ReaderEvent(EventId, At);

/// <summary>エラー停止: the address itself failed permanently.</summary>
[GenerateSerializer]
public sealed record ReaderErrorStopped(Guid EventId, DateTimeOffset At, string Reason, string? Reply) : ReaderEvent(EventId, At);

/// <summary>配信可能状態へ戻す: an error-stopped or held reader made active again, its error count reset.</summary>
[GenerateSerializer]
public sealed record ReaderRestored(Guid EventId, DateTimeOffset At, string FromStatus, string By) : ReaderEvent(EventId, At);

/// <summary>配信一時停止: an operator paused the reader. Nothing is sent to it, and step stories that come due are missed, until it is resumed.</summary>
/// <param name="By">Who paused it (<c>api</c>).</param>
/// <param name="FromStatus">The status it was paused from (<c>active</c> or <c>held</c>).</param>
[GenerateSerializer]
public sealed record ReaderPaused(Guid EventId, DateTimeOffset At, string By, string FromStatus) : ReaderEvent(EventId, At);

/// <summary>配信再開: a paused reader made active again; the stories it missed meanwhile meet the magazine's catch-up policy.</summary>
[GenerateSerializer]
public sealed record ReaderResumed(Guid EventId, DateTimeOffset At, string By) : ReaderEvent(EventId, At);

/// <summary>
/// The reader's next step-mail story and when it is due, as the magazine's sequence and the reader's history say; a null
/// story: nothing more is owed. The step scheduler reads it from the subscriber projection, by due time.
/// </summary>
/// <param name="Why"><c>subscribed</c>, <c>story-final</c> (the last story has a final result), <c>sequence-changed</c>.</param>
[GenerateSerializer]
public sealed record ReaderStepScheduled(Guid EventId, DateTimeOffset At, string? StoryId, DateTimeOffset? DueAt, string Why) : ReaderEvent(EventId, At);

/// <summary>
/// Missed step stories put aside when the reader came back to active: not sent unless resent. <paramref name="Why"/> is
/// the catch-up policy that left them out (<c>latest-only</c>, <c>skip</c>) or <c>awaiting-operator</c> (no automatic resend).
/// </summary>
[GenerateSerializer]
public sealed record ReaderStoriesSetAside(Guid EventId, DateTimeOffset At, IReadOnlyList<string> StoryIds, string Why) : ReaderEvent(EventId, At);

/// <summary>
/// Missed step stories owed again, sent in sequence order: by the catch-up policy or an operator's resend
/// (<paramref name="Why"/>). A story the reader's provider accepted is never among them: a story reaches a reader once, ever.
/// </summary>
[GenerateSerializer]
public sealed record ReaderStoriesQueued(Guid EventId, DateTimeOffset At, IReadOnlyList<string> StoryIds, string Why) : ReaderEvent(EventId, At);

/// <summary>The stories not yet delivered move later by <paramref name="By"/>, the time the reader lost (shift-schedule).</summary>
[GenerateSerializer]
public sealed record ReaderStepShifted(Guid EventId, DateTimeOffset At, TimeSpan By) : ReaderEvent(EventId, At);
