using System.Text.Json;
using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.EventStore.Serialization;

namespace Hikyaku.Silo.Api;

public sealed record MailLogReply(int Code, string? Enhanced, string Text);

/// <summary>
/// One line of the reader's mail log (メールログ): an attempt, where it went from, and the provider's answer; or a
/// late report (<see cref="Entry"/> <c>bounce</c> or <c>complaint</c>) that came back after the message was accepted.
/// </summary>
public sealed record MailLogEntry(
    DateTimeOffset At,
    string MessageKind,
    string? StoryId,
    string? BroadcastId,
    string MessageId,
    string SourceIp,
    string MxHost,
    MailLogReply Reply,
    string Classification,
    string Result,
    string Transcript,
    string Entry = "attempt");

public static class MailLog
{
    /// <summary>The attempts and late reports in the reader's history, oldest first.</summary>
    public static IReadOnlyList<MailLogEntry> From(IReadOnlyList<HistoryEntry> history) =>
        history.Select(e => e.Type switch
            {
                "reader.delivery-attempted" => Attempt(JsonSerializer.Deserialize<DeliveryAttempted>(e.Data, EventSerializer.DefaultJsonOptions)!),
                "reader.bounce-received" => LateReport(JsonSerializer.Deserialize<ReaderBounceReceived>(e.Data, EventSerializer.DefaultJsonOptions)!),
                _ => null,
            })
            .OfType<MailLogEntry>()
            .ToList();

    private static MailLogEntry Attempt(DeliveryAttempted a) =>
        new(a.At, a.MessageKind, a.StoryId, a.BroadcastId, a.MessageId, a.SourceIp, a.MxHost,
            new MailLogReply(a.Reply.Code, a.Reply.Enhanced, a.Reply.Text), a.Classification, a.Result, a.Transcript);

    private static MailLogEntry LateReport(ReaderBounceReceived b)
    {
        var key = MessageKey.TryParse(b.MessageKey, out var parsed) ? parsed : MessageKey.Broadcast(b.MessageKey);
        return new(b.At, key.KindName, key.StoryId, key.BroadcastId, string.Empty,
            string.Empty, string.Empty, new MailLogReply(b.ReplyCode, b.Status, b.Diagnostic), b.Reason, b.Result, $"{b.Kind} received via {b.Via} ({b.Action})", b.Kind);
    }
}
