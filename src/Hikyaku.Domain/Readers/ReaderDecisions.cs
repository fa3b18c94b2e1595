using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Domain.Readers;

/// <summary>What a reader's history allows: pure functions of its state and the command.</summary>
public static class ReaderDecisions
{
    /// <summary>A new address, or one that unsubscribed earlier (a reader may come back), subscribes.</summary>
    public static Outcome<ReaderEvent> Subscribe(ReaderState state, string email, string? name, IReadOnlyDictionary<string, string>? fields, string source, EventStamp stamp)
    {
        if (state.Exists && state.Status != SubscriberStatus.Unsubscribed)
        {
            return CommandError.Conflict($"{email} is already a reader of this magazine (status {state.Status})", "email");
        }

        return Outcome<ReaderEvent>.Ok(new ReaderSubscribed(stamp.Id, stamp.At, email, name, fields, source));
    }

    public static Outcome<ReaderEvent> Unsubscribe(ReaderState state, string reason, EventStamp stamp)
    {
        if (!state.Exists)
        {
            return CommandError.NotFound("no such reader");
        }

        if (state.Status == SubscriberStatus.Unsubscribed)
        {
            return CommandError.Conflict("the reader has already unsubscribed");
        }

        return Outcome<ReaderEvent>.Ok(new ReaderUnsubscribed(stamp.Id, stamp.At, reason));
    }

    /// <summary>Classifications of a mailbox that exists but takes nothing: disabled or suspended, or full.</summary>
    private static readonly HashSet<string> SoftMailbox = new(StringComparer.Ordinal) { "suspend", "mailboxfull" };

    /// <summary>A message that ended refused because the mailbox is disabled, suspended or full: soft once, a stop when it repeats.</summary>
    public static bool IsSoftMailboxFailure(string result, string? classification) =>
        result == RecipientResults.Bounced && classification is not null && SoftMailbox.Contains(classification);

    /// <summary>Only an error-stopped or held reader can be restored; its error counter starts again at zero.</summary>
    public static Outcome<ReaderEvent> Restore(ReaderState state, string by, EventStamp stamp) =>
        StatusChange(state, state.Status is SubscriberStatus.ErrorStopped or SubscriberStatus.Held, "an error-stopped or held reader can be restored",
            () => new ReaderRestored(stamp.Id, stamp.At, state.Status!, by));

    /// <summary>An operator's change of a reader's status: not found for a reader that never subscribed, a conflict naming
    /// <paramref name="only"/> when the reader's status does not allow it (<paramref name="allowed"/>), otherwise the event.</summary>
    private static Outcome<ReaderEvent> StatusChange(ReaderState state, bool allowed, string only, Func<ReaderEvent> change) =>
        !state.Exists ? CommandError.NotFound("no such reader")
        : !allowed ? CommandError.Conflict($"only {only}; this one is {state.Status}")
        : Outcome<ReaderEvent>.Ok(change());

    /// <summary>
    /// 配信一時停止: an active or held reader is paused; nothing goes to it until it is resumed. An error-stopped reader is
    /// restored, not paused (pausing must not be a way round the error stop).
    /// </summary>
    public static Outcome<ReaderEvent> Pause(ReaderState state, string by, EventStamp stamp) =>
        StatusChange(state, state.Status is SubscriberStatus.Active or SubscriberStatus.Held, "an active or held reader can be paused",
            () => new ReaderPaused(stamp.Id, stamp.At, by, state.Status!));

    /// <summary>配信再開: a paused reader becomes active again.</summary>
    public static Outcome<ReaderEvent> Resume(ReaderState state, string by, EventStamp stamp) =>
        StatusChange(state, state.Status == SubscriberStatus.Paused, "a paused reader can be resumed", () => new ReaderResumed(stamp.Id, stamp.At, by));

    /// <summary>Whether <paramref name="e"/> brings a stopped reader back to active: a restore, or a paused reader resumed.</summary>
    public static bool ReturnsToActive(ReaderEvent e) => e is ReaderRestored or ReaderResumed;

    /// <summary>
    /// Whether a message may go to the reader now; reads the history, changes nothing. A held reader is sent to: its
    /// hold is about one lane, and another lane (a clean IP) is how it is delivered.
    /// </summary>
    public static PrepareResult Prepare(ReaderState state, MessageKey message)
    {
        if (state.FinalResults.TryGetValue(message.ToString(), out var final))
        {
            return new(PrepareVerdict.AlreadyFinal, final, null);
        }

        return state.Status is SubscriberStatus.Active or SubscriberStatus.Held
            ? new(PrepareVerdict.Send, null, null, state.DeliveredBefore)
            : new(PrepareVerdict.NotActive, null, state.Status ?? "not-subscribed");
    }

    /// <summary>
    /// Takes back a refusal a block was found behind: an error stop, or a final result without delivery that stopped nobody
    /// (a carrier's filter refusal). The reader is held by the block and <paramref name="message"/>'s result is open again.
    /// Nothing when the reader has moved on (restored, unsubscribed since) or the message was delivered after all.
    /// </summary>
    public static ReaderEvent? ReclaimForBlock(ReaderState state, string blockId, MessageKey message, string sourceIp, EventStamp stamp) =>
        state.Status == SubscriberStatus.ErrorStopped
        || (state.Status == SubscriberStatus.Active && state.FinalResults.TryGetValue(message.ToString(), out var final) && final != RecipientResults.Delivered)
            ? new ReaderHeld(stamp.Id, stamp.At, $"block:{blockId}", null, sourceIp, state.LastReply, message.ToString())
            : null;

    /// <summary>
    /// A reader waiting for a clean lane that no attempt has held yet (every lane it could go out from is blocked): it is
    /// held by <paramref name="blockId"/> now. Nothing when it is already held, or no longer active, or the message is final.
    /// </summary>
    public static ReaderEvent? HoldUnsent(ReaderState state, string blockId, MessageKey message, string sourceIp, EventStamp stamp) =>
        state.Status == SubscriberStatus.Active && !state.FinalResults.ContainsKey(message.ToString())
            ? new ReaderHeld(stamp.Id, stamp.At, $"block:{blockId}", null, sourceIp, null)
            : null;

    /// <summary>When the reader's current hold began, or null when it is not held.</summary>
    public static DateTimeOffset? HeldSince(ReaderState state) => state.Status == SubscriberStatus.Held ? state.StatusSince : null;

    /// <summary>
    /// A message the reader has waited for (held) since <paramref name="heldSince"/>: it ends as <c>held-expired</c> once
    /// <paramref name="maxHold"/> has passed. Null while the hold is younger, or when the message already has a final result.
    /// </summary>
    public static ReaderEvent? ExpireHold(ReaderState state, MessageKey message, string? blockId, DateTimeOffset heldSince, TimeSpan maxHold, EventStamp stamp) =>
        !state.FinalResults.ContainsKey(message.ToString()) && stamp.At - heldSince >= maxHold
            ? new ReaderHoldExpired(stamp.Id, stamp.At, message.ToString(), blockId, heldSince)
            : null;

    /// <summary>
    /// The events an attempt and its verdict add to the history: the attempt itself; an error stop for a dead address;
    /// a hold when a block is not the reader's fault; and the way back to active when a held reader is delivered. An
    /// attempt for a message that already has a final result adds nothing (a resend after a crash).
    /// </summary>
    /// <param name="softStopAfter">Messages in a row refused for a disabled, suspended or full mailbox that error-stop the reader
    /// (the tenant's <c>softStopAfter</c>): the last of them stops it with that reason.</param>
    public static (IReadOnlyList<ReaderEvent> Events, AttemptResult Result) RecordAttempt(ReaderState state, AttemptReport report, Func<EventStamp> stamp,
        int softStopAfter = SendingSettings.DefaultSoftStopAfter)
    {
        var key = report.Message.ToString();
        if (state.FinalResults.TryGetValue(key, out var final))
        {
            return ([], new AttemptResult(final, null));
        }

        var verdict = report.Verdict;
        var reply = report.Reply;
        var s = stamp();
        var events = new List<ReaderEvent>(2)
        {
            new DeliveryAttempted(s.Id, s.At, key, report.Message.KindName, report.Message.BroadcastId, report.Message.StoryId,
                report.MessageId, report.SourceIp, report.MxHost, reply, verdict.Classification, verdict.Result, report.Transcript),
        };
        var replyText = $"{reply.Code} {reply.Enhanced} {reply.Text}".Replace("  ", " ");
        switch (verdict.Kind)
        {
            case VerdictKind.Dead when state.Status is SubscriberStatus.Active or SubscriberStatus.Held:
                var stop = stamp();
                events.Add(new ReaderErrorStopped(stop.Id, stop.At, verdict.Reason ?? "userunknown", replyText));
                break;
            case VerdictKind.Hold when state.Status == SubscriberStatus.Active:
                var hold = stamp();
                events.Add(new ReaderHeld(hold.Id, hold.At, verdict.BlockId is { } block ? $"block:{block}" : verdict.Reason ?? "blocked", null, report.SourceIp, replyText));
                break;
            case VerdictKind.Bounced when IsSoftMailboxFailure(verdict.Result, verdict.Classification) && state.Status == SubscriberStatus.Active
                && state.SoftFailures + 1 >= softStopAfter:
                var soft = stamp();
                events.Add(new ReaderErrorStopped(soft.Id, soft.At, verdict.Classification, replyText));
                break;
            case VerdictKind.Delivered when state.Status == SubscriberStatus.Held:
                var back = stamp();
                events.Add(new ReaderRestored(back.Id, back.At, SubscriberStatus.Held, $"delivered from {report.SourceIp}"));
                break;
        }

        return (events, new AttemptResult(verdict.Result, verdict.Reason));
    }
}
