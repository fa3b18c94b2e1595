using System.Net;
using Hikyaku.MxSim.Catalog;
using Hikyaku.MxSim.Journal;
using Hikyaku.MxSim.Smtp;

namespace Hikyaku.MxSim;

// How the provider answers each stage, given the behaviour toward the source IP.
public sealed partial class SimulatedProvider
{
    /// <summary>The provider's answer at <paramref name="stage"/>; refusals and drops are journalled here.</summary>
    internal Verdict Decide(SmtpStage stage, IPAddress source, string sender, string? recipient)
    {
        var behaviour = BehaviourFor(source);
        var verdict = Judge(behaviour, stage, source, sender, recipient);
        if (verdict.Kind == VerdictKind.Drop) Record(stage, source, sender, recipient, code: 0, reply: "");
        return verdict;
    }

    /// <summary>Journals a refusal once it is rendered, so the record holds exactly what the client was sent.</summary>
    internal RenderedReply Render(ReplyTemplate reply, SmtpStage stage, IPAddress source, string sender, string? recipient)
    {
        var rendered = reply.Render(source, sender, recipient);
        Record(stage, source, sender, recipient, rendered.Code, rendered.Text);
        return rendered;
    }

    /// <summary>Journals one accepted recipient and counts it against the source IP's rate window.</summary>
    internal void Accepted(IPAddress source, string sender, string recipient, string? messageId, string? subject, long size, byte[]? content, string? recipientAsSent)
    {
        var now = _time.GetUtcNow();
        Journal.Record(new AcceptedMessage(Name, recipient, sender, messageId, subject, source, now, size, content, recipientAsSent ?? recipient));
        _rate.Count(source, now);
    }

    /// <summary>The reply delay toward <paramref name="source"/>, zero unless it is served slowly.</summary>
    internal TimeSpan ReplyDelay(IPAddress source) =>
        BehaviourFor(source) is { Kind: BehaviourKind.SlowReplies } slow ? slow.Delay : TimeSpan.Zero;

    bool DropsAtConnect(IPEndPoint remote) =>
        Decide(SmtpStage.Connect, remote.Address, sender: "", recipient: null).Kind == VerdictKind.Drop;

    Verdict Judge(Behaviour behaviour, SmtpStage stage, IPAddress source, string sender, string? recipient)
    {
        var replies = Profile.Replies;
        switch (behaviour.Kind)
        {
            case BehaviourKind.DropConnection when behaviour.Stage == stage:
                return Verdict.Drop;
            case BehaviourKind.ExplicitBlock when Profile.ExplicitBlockStage == stage:
                return Verdict.Refuse(replies.ExplicitBlock);
            case BehaviourKind.RateLimit when stage == SmtpStage.MailFrom
                                              && _rate.IsSpent(source, behaviour.MessagesPerMinute, behaviour.Window, _time.GetUtcNow()):
                return Verdict.Refuse(replies.RateLimited);
            case BehaviourKind.DisguisedBlock when stage == Profile.DisguisedBlockStage:
                return Verdict.Refuse(replies.UserUnknown);
        }
        if (stage != SmtpStage.RcptTo || recipient is null) return Verdict.Accept;
        if (!HasMailbox(recipient)) return Verdict.Refuse(replies.UserUnknown);
        // Greylisting is checked after the mailbox: a greylisting MTA (postgrey behind Postfix)
        // sees only recipients that passed the address check.
        if (behaviour.Kind == BehaviourKind.Greylist
            && !_greylist.Passes(source, sender, recipient, behaviour.Delay, _time.GetUtcNow()))
            return Verdict.Refuse(replies.Greylisted);
        return Verdict.Accept;
    }

    void Record(SmtpStage stage, IPAddress source, string sender, string? recipient, int code, string reply) =>
        Journal.Record(new RejectedAttempt(Name, stage, source, sender, recipient, code, reply, _time.GetUtcNow()));
}
