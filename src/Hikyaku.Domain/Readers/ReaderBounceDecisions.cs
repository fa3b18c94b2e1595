using System.Security.Cryptography;
using System.Text;
using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Domain.Readers;

/// <summary>
/// What a late report (a DSN or complaint that came back after the message was accepted) does to a reader:
/// the same as the reply would have done in the SMTP session (<see cref="Delivery.DeliveryDecision"/>).
/// A dead address error-stops an active reader; a soft failure, or a refusal of the sender (a block, which is
/// the lane's problem, never the reader's), is only recorded; a complaint unsubscribes the reader.
/// </summary>
public static class ReaderBounceDecisions
{
    public static (IReadOnlyList<ReaderEvent> Events, BounceRecordResult Result) Record(ReaderState state, BounceNotice notice, Func<EventStamp> stamp)
    {
        if (!state.Exists)
        {
            return ([], new(BounceRecordOutcome.NoReader, false, false));
        }

        if (state.BounceIds.Contains(notice.BounceId))
        {
            return ([], new(BounceRecordOutcome.Duplicate, false, false));
        }

        var complaint = notice.Kind == BounceKinds.Complaint;
        var unsubscribe = complaint && state.Status != SubscriberStatus.Unsubscribed;
        var failure = BounceKinds.IsFailure(notice.Kind);
        var stop = failure && notice.Action == "address-dead" && state.Status == SubscriberStatus.Active;
        var result = !failure ? notice.Kind : stop ? RecipientResults.ErrorStopped : RecipientResults.Bounced;
        var s = stamp();
        List<ReaderEvent> events =
        [
            new ReaderBounceReceived(s.Id, s.At, notice.BounceId, notice.Kind, notice.MessageKey, notice.Reason, notice.Status, notice.ReplyCode,
                notice.Hard, notice.Action, notice.Rule, notice.Diagnostic, notice.Via, result),
        ];
        if (unsubscribe)
        {
            var u = stamp();
            events.Add(new ReaderUnsubscribed(u.Id, u.At, "complaint"));
        }

        if (stop)
        {
            var e = stamp();
            events.Add(new ReaderErrorStopped(e.Id, e.At, notice.Reason, Reply(notice)));
        }

        return (events, new(BounceRecordOutcome.Recorded, stop, unsubscribe));
    }

    /// <summary>
    /// Stamps whose ids are derived from the stream and the report (a name-based GUID), so a retried append of the
    /// same report carries the same event ids whoever retries it.
    /// </summary>
    public static Func<EventStamp> Stamps(string streamId, string bounceId, DateTimeOffset at)
    {
        var n = 0;
        return () =>
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{streamId}\n{bounceId}\n{n++}"));
            hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8 (RFC 9562 §5.8: custom)
            hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // variant 10
            return new EventStamp(new Guid(hash.AsSpan(0, 16), bigEndian: true), at);
        };
    }

    private static string Reply(BounceNotice notice) => ReplyWords(notice.ReplyCode, notice.Status, notice.Diagnostic);

    /// <summary>A late report's words as one line: the remote reply code (when it gave one), the status code, the diagnostic.</summary>
    public static string ReplyWords(int replyCode, string? status, string diagnostic) =>
        string.Join(' ', new[] { replyCode > 0 ? replyCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : null, status, diagnostic }
            .Where(p => !string.IsNullOrEmpty(p)));
}
