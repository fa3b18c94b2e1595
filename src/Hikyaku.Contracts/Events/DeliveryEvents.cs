using System.Text.Json.Serialization;

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

/// <summary>
/// An SMTP reply as recorded, classified once where it was received (the SMTP worker): code, enhanced status code
/// (RFC 3463), text, the stage it answered, who said it, and what it means (reason and action class). The one shape of
/// a reply everywhere: lane evidence, the reader's history, the mail log, a block's evidence.
/// </summary>
/// <param name="Reason">The bounce reason (<c>userunknown</c>, <c>blocked</c>, ...; <c>delivered</c> for a 2xx); null in events
/// written before replies were classified where received (read them through <c>ReplyRecords.Classified</c>).</param>
/// <param name="Action">What the reply asks of the sender; null as for <paramref name="Reason"/>.</param>
[GenerateSerializer, Immutable, Alias("hikyaku.reply-record")]
public sealed record ReplyRecord(
    [property: Id(0)] int Code,
    [property: Id(1)] string? Enhanced,
    [property: Id(2)] string Text,
    [property: Id(3)] ReplyStage Stage,
    [property: Id(4)] bool FromProvider,
    [property: Id(5), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null,
    [property: Id(6), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ReplyAction? Action = null);

/// <summary>Where in the session a reply came, or where Hikyaku's own failure happened. Stored as its lower-case name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReplyStage>))]
public enum ReplyStage
{
    /// <summary>Not known.</summary>
    [JsonStringEnumMemberName("unknown")] Unknown,

    /// <summary>The greeting, or the connection itself.</summary>
    [JsonStringEnumMemberName("connect")] Connect,

    /// <summary>EHLO / HELO (and STARTTLS, AUTH).</summary>
    [JsonStringEnumMemberName("helo")] Helo,

    /// <summary>MAIL FROM.</summary>
    [JsonStringEnumMemberName("mail")] Mail,

    /// <summary>RCPT TO.</summary>
    [JsonStringEnumMemberName("rcpt")] Rcpt,

    /// <summary>DATA or the end of data.</summary>
    [JsonStringEnumMemberName("data")] Data,

    /// <summary>
    /// Hikyaku's own permanent failure to build this reader's message (its address cannot be written in an envelope
    /// or header, say): no session was opened for it, and retrying cannot cure it.
    /// </summary>
    [JsonStringEnumMemberName("compose")] Compose,

    /// <summary>The recipient domain's DNS (no MX, NXDOMAIN, or a failed lookup).</summary>
    [JsonStringEnumMemberName("dns")] Dns,
}

/// <summary>What a reply asks of the sender (the classifier's action class); stored in kebab case.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReplyAction>))]
public enum ReplyAction
{
    /// <summary>The provider took the message.</summary>
    [JsonStringEnumMemberName("accepted")] Accepted,

    /// <summary>The address does not exist: stop sending to it (unless the lane is blocked).</summary>
    [JsonStringEnumMemberName("address-dead")] AddressDead,

    /// <summary>A passing problem at the reader's side: retry later.</summary>
    [JsonStringEnumMemberName("address-soft")] AddressSoft,

    /// <summary>The sending IP or domain is refused, not the reader.</summary>
    [JsonStringEnumMemberName("sender-blocked")] SenderBlocked,

    /// <summary>The provider asks the sender to slow down.</summary>
    [JsonStringEnumMemberName("rate-limited")] RateLimited,

    /// <summary>This message was refused (content, form, policy); the address may be fine.</summary>
    [JsonStringEnumMemberName("content-rejected")] ContentRejected,

    /// <summary>Not a failure (an auto-reply, a delivery report).</summary>
    [JsonStringEnumMemberName("not-a-bounce")] NotABounce,

    /// <summary>Hikyaku's own failure (no connection, session lost, cannot compose): never evidence about the provider.</summary>
    [JsonStringEnumMemberName("local")] Local,
}
