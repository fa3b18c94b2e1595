namespace Hikyaku.Contracts.Events;

/// <summary>
/// One delivery attempt of one message to the reader and what came of it: the mail log (メールログ) is the list
/// of these. <see cref="FromProvider"/> is false when the reply is Hikyaku's own (no connection, session lost).
/// </summary>
/// <param name="MessageKey"><c>b:{broadcastId}</c> or <c>s:{storyId}</c>: what was sent.</param>
/// <param name="Result">delivered, deferred, error-stopped, held or bounced (<see cref="Model.RecipientResults"/>).</param>
[GenerateSerializer]
public sealed record DeliveryAttempted(
    Guid EventId,
    DateTimeOffset At,
    string MessageKey,
    string MessageKind,
    string? BroadcastId,
    string? StoryId,
    string MessageId,
    string SourceIp,
    string MxHost,
    ReplyRecord Reply,
    string Classification,
    string Result,
    string Transcript) : ReaderEvent(EventId, At);

/// <summary>An SMTP reply as recorded: code, enhanced status code (RFC 3463), text, stage, and who said it.</summary>
[GenerateSerializer, Immutable, Alias("hikyaku.reply-record")]
public sealed record ReplyRecord(
    [property: Id(0)] int Code,
    [property: Id(1)] string? Enhanced,
    [property: Id(2)] string Text,
    [property: Id(3)] string Stage,
    [property: Id(4)] bool FromProvider)
{
    /// <summary>
    /// The <see cref="Stage"/> of Hikyaku's own permanent failure to build this reader's message (its address cannot
    /// be written in an envelope or header, say): no session was opened for it, and retrying cannot cure it.
    /// </summary>
    public const string ComposeStage = "compose";
}
