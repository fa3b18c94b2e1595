namespace Hikyaku.Smtp;

/// <summary>
/// One message for one reader, ready to send: the envelope and the message already serialised
/// (CRLF line ends, 7-bit transfer encodings, DKIM-signed when the tenant has a key). Built by
/// <see cref="Composition.MessageComposer"/>; plain data, so it can cross a grain call as it is.
/// </summary>
/// <param name="MessageKey">What the message is an issue of: <c>b:{broadcastId}</c> or <c>s:{storyId}</c>.</param>
/// <param name="Recipient">The reader's address (RCPT TO).</param>
/// <param name="EnvelopeFrom">The return path (MAIL FROM), where bounces go.</param>
/// <param name="MessageId">The Message-ID header value without angle brackets; stable per (key, reader).</param>
/// <param name="Content">
/// The whole message as it goes after DATA, before dot-stuffing: 7-bit, CRLF line ends, ending with
/// CRLF (RFC 5321 §4.1.1.4) — as the composer makes it; it is sent verbatim.
/// </param>
public sealed record OutboundMessage(
    string MessageKey,
    string Recipient,
    string EnvelopeFrom,
    string MessageId,
    ReadOnlyMemory<byte> Content);
