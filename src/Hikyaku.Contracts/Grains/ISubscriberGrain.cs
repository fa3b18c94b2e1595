using Hikyaku.Contracts.Model;

namespace Hikyaku.Contracts.Grains;

/// <summary>
/// One reader of one magazine; its state is the fold of its whole history.
/// Key: <c>{tenantId}/{magazineId}/{email}</c> with the normalised address.
/// </summary>
[Alias("hikyaku.ISubscriberGrain")]
public interface ISubscriberGrain : IGrainWithStringKey
{
    /// <summary>Subscribes the reader; a conflict when the address is already subscribed.</summary>
    [Alias("Subscribe")]
    Task<Outcome<SubscriberView>> Subscribe(string? name, IReadOnlyDictionary<string, string>? fields, string source);

    /// <summary>The reader, or null when the address never subscribed.</summary>
    [Alias("Get")]
    Task<SubscriberView?> Get();

    [Alias("Unsubscribe")]
    Task<Outcome<SubscriberView>> Unsubscribe(string reason);

    /// <summary>Makes an error-stopped or held reader active again (配信可能状態へ戻す).</summary>
    [Alias("Restore")]
    Task<Outcome<SubscriberView>> Restore(string by);

    /// <summary>Pauses an active or held reader (配信一時停止): nothing is sent to it until it is resumed.</summary>
    [Alias("Pause")]
    Task<Outcome<SubscriberView>> Pause(string by);

    /// <summary>Makes a paused reader active again (配信再開); its missed stories meet the magazine's catch-up policy.</summary>
    [Alias("Resume")]
    Task<Outcome<SubscriberView>> Resume(string by);

    /// <summary>Whether to send <paramref name="message"/> now (read-only: records nothing).</summary>
    [Alias("PrepareDelivery")]
    Task<PrepareResult> PrepareDelivery(MessageKey message);

    /// <summary>Records an attempt with the verdict its lane's judge gave (one event; two on an error stop, a hold or a release).</summary>
    [Alias("RecordAttempt")]
    Task<AttemptResult> RecordAttempt(AttemptReport report);

    /// <summary>
    /// Takes back an error stop of <paramref name="message"/> that a block was found behind: the reader becomes held by
    /// <paramref name="blockId"/> and the message's result is open again. False (nothing changes) when the reader is no
    /// longer error-stopped.
    /// </summary>
    [Alias("ReclaimForBlock")]
    Task<bool> ReclaimForBlock(string blockId, MessageKey message, string sourceIp);

    /// <summary>
    /// A reader waiting for <paramref name="message"/> with no clean lane to go out from: held by <paramref name="blockId"/>
    /// if it is active (an event), and when its hold began; null when it is neither active nor held, or the message is final.
    /// </summary>
    [Alias("HoldUnsent")]
    Task<DateTimeOffset?> HoldUnsent(string blockId, MessageKey message, string sourceIp);

    /// <summary>
    /// Ends <paramref name="message"/> for a reader held since <paramref name="heldSince"/> as <c>held-expired</c> once
    /// <paramref name="maxHold"/> has passed (an event; the reader is not error-stopped). Answers the message's final result
    /// for the reader, or null while it may still wait.
    /// </summary>
    [Alias("ExpireHold")]
    Task<string?> ExpireHold(MessageKey message, string? blockId, DateTimeOffset heldSince, TimeSpan maxHold);

    /// <summary>
    /// Records a bounce or complaint that came back after the message was accepted: a dead address error-stops
    /// the reader, a complaint unsubscribes it, anything else is only recorded. The same report twice changes nothing.
    /// </summary>
    [Alias("RecordBounce")]
    Task<BounceRecordResult> RecordBounce(BounceNotice notice);

    /// <summary>The reader's events, oldest first.</summary>
    [Alias("History")]
    Task<IReadOnlyList<HistoryEntry>> History();

    /// <summary>
    /// Decides the reader's next step story again against <paramref name="sequence"/> (the magazine's sequence changed);
    /// true when it changed.
    /// </summary>
    /// <summary>
    /// Queues the reader's missed step stories again (put aside, or ended without delivery), in sequence order; answers
    /// which. A story the provider accepted is never resent, and a story already queued is not queued twice. A conflict
    /// while the reader is not active.
    /// </summary>
    [Alias("ResendMissed")]
    Task<Outcome<IReadOnlyList<string>>> ResendMissed();

    [Alias("Reschedule")]
    Task<bool> Reschedule(IReadOnlyList<StoryStep> sequence);

    /// <summary>
    /// The stories of <paramref name="sequence"/> that came due for this reader and were not delivered, with why,
    /// replayed from the reader's events alone; null when the reader never subscribed.
    /// </summary>
    [Alias("MissedStories")]
    Task<IReadOnlyList<MissedStory>?> MissedStories(IReadOnlyList<StoryStep> sequence);
}
