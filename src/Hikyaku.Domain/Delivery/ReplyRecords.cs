using Hikyaku.Bounces;
using Hikyaku.Contracts.Events;

namespace Hikyaku.Domain.Delivery;

/// <summary>
/// Classifies a reply once, where it is received, into the one <see cref="ReplyRecord"/> shape; and reads replies
/// recorded before that (no reason, no action) the same way.
/// </summary>
public static class ReplyRecords
{
    /// <summary>The reason of a reply the provider took.</summary>
    public const string DeliveredReason = "delivered";

    /// <summary>The reason of a message Hikyaku could not build for the reader.</summary>
    public const string ComposeReason = "compose";

    /// <summary>The reason of Hikyaku's own failure to reach the provider (no connection, session lost, DNS failing).</summary>
    public const string NetworkReason = "networkerror";

    /// <summary>The reason of a message not sent because its batch was halted for the lane to be judged: not an attempt.</summary>
    public const string HaltedReason = "halted";

    /// <summary>The reply with its reason and action filled in (unchanged when it already has both).</summary>
    public static ReplyRecord Classified(ReplyRecord reply)
    {
        if (reply.Reason is not null && reply.Action is not null)
        {
            return reply;
        }

        if (reply.Code is >= 200 and < 300)
        {
            return reply with { Reason = DeliveredReason, Action = ReplyAction.Accepted };
        }

        if (!reply.FromProvider)
        {
            return reply with { Reason = reply.Stage == ReplyStage.Compose ? ComposeReason : NetworkReason, Action = ReplyAction.Local };
        }

        var c = ReplyClassifier.Classify(new SmtpReply(reply.Code, reply.Enhanced, reply.Text.Replace('\n', ' '), ToBounceStage(reply.Stage)));
        return reply with { Reason = c.Reason.Name(), Action = ToAction(c.Action) };
    }

    /// <summary>A reply recorded by the SMTP library, classified.</summary>
    public static ReplyRecord From(int code, string? enhanced, string text, SmtpStage stage, bool fromProvider, bool refusedLocally = false, bool halted = false) =>
        halted
            ? new ReplyRecord(code, enhanced, text, FromBounceStage(stage), false, HaltedReason, ReplyAction.Local)
            : Classified(new ReplyRecord(code, enhanced, text, refusedLocally ? ReplyStage.Compose : FromBounceStage(stage), fromProvider));

    /// <summary>An unknown-user reply: what a dead address says, and what a disguised block says for every address.</summary>
    public static bool IsUnknownUser(ReplyRecord reply) =>
        reply.FromProvider && (reply.Action == ReplyAction.AddressDead || reply.Reason == "userunknown");

    public static ReplyAction ToAction(ActionClass action) => action switch
    {
        ActionClass.AddressDead => ReplyAction.AddressDead,
        ActionClass.AddressSoft => ReplyAction.AddressSoft,
        ActionClass.SenderBlocked => ReplyAction.SenderBlocked,
        ActionClass.RateLimited => ReplyAction.RateLimited,
        ActionClass.ContentRejected => ReplyAction.ContentRejected,
        _ => ReplyAction.NotABounce,
    };

    public static SmtpStage ToBounceStage(ReplyStage stage) => stage switch
    {
        ReplyStage.Connect => SmtpStage.Connect,
        ReplyStage.Helo => SmtpStage.Helo,
        ReplyStage.Mail => SmtpStage.Mail,
        ReplyStage.Rcpt => SmtpStage.Rcpt,
        ReplyStage.Data => SmtpStage.Data,
        _ => SmtpStage.Unknown,
    };

    public static ReplyStage FromBounceStage(SmtpStage stage) => stage switch
    {
        SmtpStage.Connect => ReplyStage.Connect,
        SmtpStage.Helo => ReplyStage.Helo,
        SmtpStage.Mail => ReplyStage.Mail,
        SmtpStage.Rcpt => ReplyStage.Rcpt,
        SmtpStage.Data => ReplyStage.Data,
        _ => ReplyStage.Unknown,
    };
}
