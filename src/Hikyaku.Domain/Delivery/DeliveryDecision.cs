using Hikyaku.Bounces;
using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Domain.Delivery;

/// <summary>What an attempt means for the reader: its result for this message, the reason, and whether it stops the reader.</summary>
public sealed record ReaderVerdict(string Result, string? Reason, bool ErrorStop, string Classification);

/// <summary>
/// The one place where an SMTP outcome becomes a decision about a reader. Only a reply from the provider can
/// fail a reader; Hikyaku's own failures (no connection, session lost) only defer, except a message that cannot be
/// composed for the reader at all, which fails for this message (<see cref="RecipientResults.Failed"/>). A refusal of the sender
/// (a block) never error-stops the reader: that is the lane's problem, not the address's.
/// </summary>
public static class DeliveryDecision
{
    public static ReaderVerdict Decide(ReplyRecord reply, bool lastAttempt)
    {
        if (reply.Code is >= 200 and < 300)
        {
            return new(RecipientResults.Delivered, null, false, "delivered");
        }

        if (!reply.FromProvider && reply.Stage == ReplyRecord.ComposeStage)
        {
            // Hikyaku could not build this reader's message: another try would build the same thing.
            return new(RecipientResults.Failed, "compose", false, "compose");
        }

        if (!reply.FromProvider)
        {
            return lastAttempt
                ? new(RecipientResults.Bounced, "expired", false, "networkerror")
                : new(RecipientResults.Deferred, null, false, "networkerror");
        }

        var c = ReplyClassifier.Classify(new SmtpReply(reply.Code, reply.Enhanced, reply.Text, StageOf(reply.Stage)));
        var reason = c.Reason.Name();
        if (reply.Code is >= 400 and < 500 || c.Action == ActionClass.RateLimited)
        {
            return lastAttempt
                ? new(RecipientResults.Bounced, "expired", false, reason)
                : new(RecipientResults.Deferred, null, false, reason);
        }

        return c.Action switch
        {
            ActionClass.AddressDead => new(RecipientResults.ErrorStopped, reason, true, reason),
            _ => new(RecipientResults.Bounced, reason, false, reason),
        };
    }

    private static SmtpStage StageOf(string stage) => stage switch
    {
        "connect" => SmtpStage.Connect,
        "helo" => SmtpStage.Helo,
        "mail" => SmtpStage.Mail,
        "rcpt" => SmtpStage.Rcpt,
        "data" => SmtpStage.Data,
        _ => SmtpStage.Unknown,
    };
}
