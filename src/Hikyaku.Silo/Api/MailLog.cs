using System.Text.Json;
using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.EventStore.Serialization;

namespace Hikyaku.Silo.Api;

public sealed record MailLogReply(int Code, string? Enhanced, string Text);

/// <summary>One line of the reader's mail log (メールログ): an attempt, where it went from, and the provider's answer.</summary>
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
    string Transcript);

public static class MailLog
{
    /// <summary>The attempts in the reader's history, oldest first.</summary>
    public static IReadOnlyList<MailLogEntry> From(IReadOnlyList<HistoryEntry> history) =>
        history.Where(e => e.Type == "reader.delivery-attempted")
            .Select(e => JsonSerializer.Deserialize<DeliveryAttempted>(e.Data, EventSerializer.DefaultJsonOptions)!)
            .Select(a => new MailLogEntry(a.At, a.MessageKind, a.StoryId, a.BroadcastId, a.MessageId, a.SourceIp, a.MxHost,
                new MailLogReply(a.Reply.Code, a.Reply.Enhanced, a.Reply.Text), a.Classification, a.Result, a.Transcript))
            .ToList();
}
