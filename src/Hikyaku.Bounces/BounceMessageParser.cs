using Hikyaku.Bounces.Messages;
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
    /// <summary>Parses a raw RFC 5322 message.</summary>
    public static BounceReport Parse(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
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
            return Parse(message);
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

    /// <summary>Parses a message MimeKit has already loaded.</summary>
    public static BounceReport Parse(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = MessageText.Of(message);
        if (FeedbackReader.TryRead(message, text) is { } feedback)
        {
            return feedback;
        }

        if (SesNotification.TryRead(text.ErrorText) is { } ses)
        {
            return ses;
        }

        var dsn = DeliveryStatus.Read(text);
        if (dsn.Count > 0)
        {
            var delivered = dsn.All(r => r.Classification.Reason == BounceReason.Delivered);
            return new BounceReport(delivered ? BounceKind.Delivered : BounceKind.Bounce, dsn.Where(r => delivered || r.Classification.Reason != BounceReason.Delivered).ToList());
        }

        if (!AutoReplyDetector.LooksLikeBounce(message) && AutoReplyDetector.IsAutoReply(message))
        {
            var from = message.From.Mailboxes.FirstOrDefault()?.Address ?? string.Empty;
            var verdict = Classification.Of(BounceReason.Vacation, 0, null, 0, "rfc3834.auto-reply", null);
            return new BounceReport(BounceKind.AutoReply, [new BounceRecipient(from, null, 0, message.Subject ?? string.Empty, verdict)]);
        }

        var recipients = PlainTextBounce.Read(message, text);
        if (recipients.Count == 0)
        {
            return new BounceReport(BounceKind.Unknown, [], "no failed recipient found");
        }

        return new BounceReport(BounceKind.Bounce, recipients);
    }
}
