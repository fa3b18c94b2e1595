using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Domain.Delivery;

/// <summary>
/// What one classified reply means for its reader on its own, before the lane's state is known: the lane's judge
/// (the provider site's block detector) starts from this and may turn a dead address into a hold. Only a reply
/// from the provider can fail a reader; Hikyaku's own failures (no connection, session lost) only retry, except a
/// message that cannot be composed for the reader at all, which fails for this message. A refusal of the sender
/// (a block) never error-stops the reader: that is the lane's problem, not the address's.
/// </summary>
public static class DeliveryDecision
{
    public static DeliveryVerdict Decide(ReplyRecord reply, bool lastAttempt)
    {
        reply = ReplyRecords.Classified(reply);
        var reason = reply.Reason!;
        if (reply.Action == ReplyAction.Accepted)
        {
            return new(VerdictKind.Delivered, reason, null);
        }

        if (reply.Action == ReplyAction.Local)
        {
            return reply.Stage == ReplyStage.Compose
                ? new(VerdictKind.Failed, reason, ReplyRecords.ComposeReason)
                : Retry(reason, lastAttempt);
        }

        if (reply.Code is >= 400 and < 500 || reply.Action == ReplyAction.RateLimited)
        {
            return Retry(reason, lastAttempt);
        }

        return reply.Action == ReplyAction.AddressDead
            ? new(VerdictKind.Dead, reason, reason)
            : new(VerdictKind.Bounced, reason, reason);
    }

    /// <summary>Try again later; on the last attempt the message expires for this reader.</summary>
    public static DeliveryVerdict Retry(string classification, bool lastAttempt) =>
        lastAttempt ? new(VerdictKind.Bounced, classification, "expired") : new(VerdictKind.Retry, classification, null);
}
