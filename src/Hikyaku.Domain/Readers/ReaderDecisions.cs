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

    /// <summary>Only an error-stopped or held reader can be restored; its error counter starts again at zero.</summary>
    public static Outcome<ReaderEvent> Restore(ReaderState state, string by, EventStamp stamp)
    {
        if (!state.Exists)
        {
            return CommandError.NotFound("no such reader");
        }

        if (state.Status is not (SubscriberStatus.ErrorStopped or SubscriberStatus.Held))
        {
            return CommandError.Conflict($"only an error-stopped or held reader can be restored; this one is {state.Status}");
        }

        return Outcome<ReaderEvent>.Ok(new ReaderRestored(stamp.Id, stamp.At, state.Status!, by));
    }

    /// <summary>Whether a message may go to the reader now; reads the history, changes nothing.</summary>
    public static PrepareResult Prepare(ReaderState state, string messageKey)
    {
        if (state.FinalResults.TryGetValue(messageKey, out var final))
        {
            return new(PrepareVerdict.AlreadyFinal, final, null);
        }

        return state.Status == SubscriberStatus.Active
            ? new(PrepareVerdict.Send, null, null)
            : new(PrepareVerdict.NotActive, null, state.Status ?? "not-subscribed");
    }

    /// <summary>
    /// The events an attempt adds to the history: the attempt itself, and an error stop when the address failed
    /// permanently. An attempt for a message that already has a final result adds nothing (a resend after a crash).
    /// </summary>
    public static (IReadOnlyList<ReaderEvent> Events, AttemptResult Result) RecordAttempt(ReaderState state, AttemptReport report, Delivery.ReaderVerdict verdict, Func<EventStamp> stamp)
    {
        if (state.FinalResults.TryGetValue(report.MessageKey, out var final))
        {
            return ([], new AttemptResult(final, null));
        }

        var s = stamp();
        var attempt = new DeliveryAttempted(s.Id, s.At, report.MessageKey, report.BroadcastId is null ? "story" : "broadcast", report.BroadcastId,
            report.BroadcastId is null ? report.MessageKey[2..] : null, report.MessageId, report.SourceIp, report.MxHost, report.Reply,
            verdict.Classification, verdict.Result, report.Transcript);
        if (!verdict.ErrorStop || state.Status != SubscriberStatus.Active)
        {
            return ([attempt], new AttemptResult(verdict.Result, verdict.Reason));
        }

        var stop = stamp();
        return ([attempt, new ReaderErrorStopped(stop.Id, stop.At, verdict.Reason ?? "userunknown", $"{report.Reply.Code} {report.Reply.Enhanced} {report.Reply.Text}".Replace("  ", " "))],
            new AttemptResult(verdict.Result, verdict.Reason));
    }
}
