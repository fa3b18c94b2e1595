using Hikyaku.Bounces.Messages;
using Hikyaku.Bounces.Rules;
using MimeKit;

namespace Hikyaku.Bounces;

/// <summary>
/// Parses a message that came back to the sender into a <see cref="BounceReport"/>:
/// a complaint or opt-out (RFC 5965 ARF, Microsoft JMRP, Apple Mail unsubscribe), an Amazon SES notification, an RFC 3464 DSN, an automatic reply
/// (RFC 3834), or a non-standard bounce text. Pure: reads only the stream given; never throws on
/// bad input (the report says <see cref="BounceKind.Unknown"/> with an error instead).
/// </summary>
public static class BounceMessageParser
{
    /// <summary>Parses a raw RFC 5322 message with the embedded rule book.</summary>
    public static BounceReport Parse(Stream stream) => Parse(stream, RuleBook.Default);

    /// <summary>Parses a raw RFC 5322 message with the given rule book.</summary>
    public static BounceReport Parse(Stream stream, RuleBook rules)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(rules);
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(SkipMboxFromLine(stream));
        }
        catch (FormatException e)
        {
            return BounceReport.Unreadable("not a MIME message: " + e.Message);
        }

        // MimeKit's messages, entities and contents have finalizers: left undisposed, every part of
        // every message survives its first collection and is promoted before it can be freed.
        using (message)
        {
            return Parse(message, rules);
        }
    }

    // Messages saved from an mbox start with a "From sender date" line (RFC 4155) that is not a header.
    private static Stream SkipMboxFromLine(Stream stream)
    {
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }

        var start = stream.Position;
        Span<byte> head = stackalloc byte[5];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read < head.Length || !head.SequenceEqual("From "u8))
        {
            stream.Position = start;
            return stream;
        }

        int b;
        while ((b = stream.ReadByte()) >= 0 && b != '\n')
        {
        }

        return stream;
    }

    /// <summary>Parses a message MimeKit has already loaded, with the embedded rule book.</summary>
    public static BounceReport Parse(MimeMessage message) => Parse(message, RuleBook.Default);

    /// <summary>
    /// Parses a message MimeKit has already loaded. Only a failure is a <see cref="BounceKind.Bounce"/>:
    /// complaints, success and delay reports, challenges, automatic replies and ordinary mail come out
    /// as what they are, with every recipient's action <see cref="ActionClass.NotABounce"/>.
    /// </summary>
    public static BounceReport Parse(MimeMessage message, RuleBook rules)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(rules);
        var text = MessageText.Of(message);
        if (FeedbackReader.TryRead(message, text) is { } feedback)
        {
            return feedback;
        }

        if (SesNotification.TryRead(text.ErrorText, rules) is { } ses)
        {
            return ses;
        }

        var dsn = DeliveryStatus.Read(text, rules);
        if (dsn.Count > 0)
        {
            return FromDsn(dsn);
        }

        var looksLikeBounce = AutoReplyDetector.LooksLikeBounce(message);
        if (!looksLikeBounce && AutoReplyDetector.IsChallenge(message, text.ErrorText))
        {
            return Unrecorded(message, BounceKind.Challenge, "challenge-response");
        }

        if (!looksLikeBounce && AutoReplyDetector.IsAutoReply(message))
        {
            return Unrecorded(message, BounceKind.AutoReply, "rfc3834.auto-reply", BounceReason.Vacation);
        }

        if (!looksLikeBounce && !AutoReplyDetector.ReadsLikeBounce(text.ErrorText))
        {
            return Unrecorded(message, BounceKind.NotABounce, "not-a-bounce");
        }

        var recipients = PlainTextBounce.Read(message, text, rules);
        if (recipients.Count == 0)
        {
            return new BounceReport(BounceKind.Unknown, [], "no failed recipient found");
        }

        return AutoReplyDetector.IsDelayWarning(message, text.ErrorText)
            ? new BounceReport(BounceKind.Delayed, recipients.Select(Waiting).ToList())
            : new BounceReport(BounceKind.Bounce, recipients);
    }

    // RFC 3464 2.3.3: only "failed" is a failure. A report whose recipients were all delivered is a
    // success report; one whose undelivered recipients are all "delayed" is a warning: the reader waits.
    private static BounceReport FromDsn(List<(BounceRecipient Recipient, bool Delayed)> dsn)
    {
        // Loops, not LINQ: LINQ over these tuples runs on shared generic code whose array pool lives
        // in slow generic thread statics, once for every DSN parsed.
        var undelivered = new List<BounceRecipient>(dsn.Count);
        var allDelayed = true;
        foreach (var (recipient, delayed) in dsn)
        {
            if (recipient.Classification.Reason != BounceReason.Delivered)
            {
                undelivered.Add(delayed ? Waiting(recipient) : recipient);
                allDelayed &= delayed;
            }
        }

        if (undelivered.Count == 0)
        {
            var delivered = new List<BounceRecipient>(dsn.Count);
            foreach (var (recipient, _) in dsn)
            {
                delivered.Add(recipient);
            }

            return new BounceReport(BounceKind.Delivered, delivered);
        }

        return new BounceReport(allDelayed ? BounceKind.Delayed : BounceKind.Bounce, undelivered);
    }

    // A recipient whose message is still queued: the reason says why it waits, but nothing is to be done.
    private static BounceRecipient Waiting(BounceRecipient r) =>
        r with { Classification = r.Classification with { Hard = false, Action = ActionClass.NotABounce } };

    private static BounceReport Unrecorded(MimeMessage message, BounceKind kind, string ruleId, BounceReason reason = BounceReason.Undefined)
    {
        var from = message.From.Mailboxes.FirstOrDefault()?.Address ?? string.Empty;
        var verdict = Classification.Of(reason, 0, null, 0, ruleId, null, ActionClass.NotABounce);
        return new BounceReport(kind, [new BounceRecipient(from, null, 0, message.Subject ?? string.Empty, verdict)]);
    }
}
