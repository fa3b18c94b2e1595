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
}
