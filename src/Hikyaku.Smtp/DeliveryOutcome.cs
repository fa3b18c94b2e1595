using System.Net;
using Hikyaku.Bounces;

namespace Hikyaku.Smtp;

/// <summary>What became of one message in one attempt.</summary>
public enum DeliveryOutcomeKind
{
    /// <summary>The provider accepted the message (2xx after the final dot).</summary>
    Accepted,

    /// <summary>The provider refused it permanently (5xx).</summary>
    Rejected,

    /// <summary>The provider refused it for now (4xx), including every message a 421 cut off.</summary>
    Deferred,

    /// <summary>
    /// Hikyaku could not put it before the provider: connect failed, timed out, or the session was
    /// lost without a reply. Retryable, and never evidence about the provider.
    /// </summary>
    NotAttempted,
}

/// <summary>
/// The result of one delivery attempt of one message: the reply as a value, where in the session
/// it came, whether the provider said it, and the SMTP dialogue that led to it.
/// </summary>
/// <param name="Recipient">The reader's address.</param>
/// <param name="MessageKey">The broadcast or story key of the message.</param>
/// <param name="MessageId">The message's Message-ID.</param>
/// <param name="Kind">Accepted, rejected, deferred or not attempted.</param>
/// <param name="Stage">The command the reply answered (or where the session was lost).</param>
/// <param name="Code">The reply code, 0 when there was no reply.</param>
/// <param name="EnhancedCode">The enhanced status code (RFC 3463, e.g. <c>5.1.1</c>), or null.</param>
/// <param name="Text">The whole reply text, lines joined by <c>\n</c>, enhanced codes removed; or the local error.</param>
/// <param name="FromProvider">True only when a remote server sent the reply. The block detector counts only these.</param>
/// <param name="SourceIp">The sending IP the connection was bound to.</param>
/// <param name="MxHost">The MX host of the batch.</param>
/// <param name="Transcript">The dialogue lines of this attempt (<c>C: </c> client, <c>S: </c> server), without the message body.</param>
/// <param name="At">When the outcome was known.</param>
public sealed record DeliveryOutcome(
    string Recipient,
    string MessageKey,
    string MessageId,
    DeliveryOutcomeKind Kind,
    SmtpStage Stage,
    int Code,
    string? EnhancedCode,
    string Text,
    bool FromProvider,
    IPAddress SourceIp,
    string MxHost,
    IReadOnlyList<string> Transcript,
    DateTimeOffset At)
{
    /// <summary>
    /// Refused by Hikyaku itself before the message's first command: its envelope addresses cannot be written
    /// (<see cref="Composition.Mailboxes.ForWire"/>, or MimeKit refuses them). Another attempt would be refused the
    /// same way; the session goes on with the next message.
    /// </summary>
    public bool RefusedLocally => Kind == DeliveryOutcomeKind.Rejected && !FromProvider;

    /// <summary>Not sent: the batch was halted before this message (<see cref="DeliveryBatch.Halt"/>). Not an attempt.</summary>
    public bool Halted { get; init; }

    /// <summary>The reply in the classifier's terms (<see cref="ReplyClassifier.Classify(SmtpReply)"/>); lines joined by spaces as it expects.</summary>
    public SmtpReply ToSmtpReply() => new(Code, EnhancedCode, Text.Replace('\n', ' '), Stage);
}
