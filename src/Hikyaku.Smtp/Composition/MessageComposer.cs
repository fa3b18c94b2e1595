using System.Text;
using MimeKit;
using MimeKit.Cryptography;

namespace Hikyaku.Smtp.Composition;

/// <summary>
/// Builds the messages of one issue: the body is encoded once in the constructor, and
/// <see cref="Compose"/> adds each reader's headers, signs (DKIM) and serialises once. Thread-safe:
/// several workers may compose from one instance.
/// </summary>
public sealed class MessageComposer
{
    static readonly FormatOptions Wire = new() { NewLineFormat = NewLineFormat.Dos };

    readonly MailContent _content;
    readonly PreEncodedBody _body;
    readonly Header[] _shared;
    readonly string _domain;
    readonly string _envelopeFrom;
    readonly DkimSigner? _signer;
    readonly string[] _signedHeaders;
    readonly TimeProvider _time;

    /// <summary>Encodes the body of <paramref name="content"/> and prepares the headers every reader's copy shares.</summary>
    /// <exception cref="ArgumentException">The unsubscribe URL is malformed, or the From address has no domain.</exception>
    /// <exception cref="FormatException">The From or envelope address cannot be written on the wire (see <see cref="Mailboxes.ForWire"/>).</exception>
    /// <exception cref="ParseException">MimeKit refuses the From or envelope address.</exception>
    public MessageComposer(MailContent content, TimeProvider? time = null)
    {
        _content = content;
        _time = time ?? TimeProvider.System;
        var from = Mailboxes.Create(content.FromAddress, content.FromName);
        _domain = from.Domain is { Length: > 0 } domain ? domain : throw new ArgumentException($"From address '{content.FromAddress}' has no domain.", nameof(content));
        _envelopeFrom = content.EnvelopeFrom ?? content.FromAddress;
        _ = Mailboxes.Create(_envelopeFrom); // refused here, for the whole issue, rather than at MAIL FROM of every message
        if (content.ListUnsubscribeBaseUrl is { } url && !IsWebUrl(url))
            throw new ArgumentException($"List-Unsubscribe base URL '{url}' is not an absolute http(s) URL.", nameof(content));

        _body = new PreEncodedBody(BuildBody(content));
        _shared = SharedHeaders(content, from);
        _signer = content.Dkim?.CreateSigner();
        _signedHeaders = SignedHeaders(content);
    }

    /// <summary>The size of the encoded body every message of this issue carries.</summary>
    public int BodyLength => _body.Length;

    /// <summary>
    /// The message for <paramref name="recipient"/>: To, Date, a Message-ID stable per (issue,
    /// reader), List-Unsubscribe with the reader's <paramref name="unsubscribeToken"/>, and a
    /// DKIM-Signature when the content has a key. <paramref name="returnPath"/>, when given, is this reader's
    /// own envelope sender (a VERP address that names the reader and the message to the bounce intake);
    /// otherwise the content's <see cref="MailContent.EnvelopeFrom"/> or From address is.
    /// </summary>
    /// <remarks>
    /// The To header carries the recipient as <see cref="Mailboxes.ForWire"/> writes it (quoted when its local part is
    /// not a dot-atom); the returned message keeps the stored form as its <see cref="OutboundMessage.Recipient"/>.
    /// </remarks>
    /// <exception cref="FormatException"><paramref name="recipient"/> cannot be written on the wire (see <see cref="Mailboxes.ForWire"/>).</exception>
    /// <exception cref="ParseException">MimeKit refuses <paramref name="recipient"/> (a malformed domain, say).</exception>
    public OutboundMessage Compose(string recipient, string unsubscribeToken, string? returnPath = null)
    {
        var messageId = MessageIds.For(_content.MessageKey, recipient, _domain);
        var message = new MimeMessage(_shared.Select(h => h.Clone())) { Body = _body };
        message.To.Add(Mailboxes.Create(recipient));
        message.Date = _time.GetUtcNow();
        message.MessageId = messageId;
        if (_content.ListUnsubscribeBaseUrl is { } url)
        {
            var link = $"<{url}{Uri.EscapeDataString(unsubscribeToken)}>";
            message.Headers.Add(HeaderId.ListUnsubscribe, _content.ListUnsubscribeMailto is { } mailto ? $"{link}, <mailto:{mailto}>" : link);
        }
        _signer?.Sign(Wire, message, _signedHeaders);

        var buffer = new MemoryStream(_body.Length + 2048);
        message.WriteTo(Wire, buffer);
        return new OutboundMessage(_content.MessageKey, recipient, returnPath ?? _envelopeFrom, messageId, buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    static MimeEntity BuildBody(MailContent content)
    {
        var text = Part("plain", content.TextBody);
        return content.HtmlBody is null ? text : new MultipartAlternative { text, Part("html", content.HtmlBody) };
    }

    static TextPart Part(string subtype, string body)
    {
        var part = new TextPart(subtype);
        part.SetText(Encoding.UTF8, body);
        // 7-bit transfer encodings (base64 for Japanese text, quoted-printable for mostly ASCII) so
        // the stored bytes suit every server, with or without 8BITMIME (RFC 6152).
        part.ContentTransferEncoding = part.GetBestEncoding(EncodingConstraint.SevenBit);
        return part;
    }

    static Header[] SharedHeaders(MailContent content, MailboxAddress from)
    {
        var template = new MimeMessage((IEnumerable<Header>)[]) { Subject = content.Subject, MimeVersion = new Version(1, 0) };
        template.From.Add(from);
        if (content.ListUnsubscribeBaseUrl is not null)
        {
            // RFC 8058 §3.1: a POST of this body to the List-Unsubscribe URL unsubscribes in one click.
            template.Headers.Add(HeaderId.ListUnsubscribePost, "List-Unsubscribe=One-Click");
        }
        // Gmail's feedback loop aggregates complaints by these fields (campaign:customer:other:sender).
        template.Headers.Add("Feedback-ID", $"{Field(content.MessageKey)}:{Field(content.MagazineId)}:{Field(content.TenantId)}:hikyaku");
        return template.Headers.ToArray();
    }

    static string[] SignedHeaders(MailContent content)
    {
        List<string> names = ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "Feedback-ID"];
        // RFC 8058 §4: the signature must cover both List-Unsubscribe headers.
        if (content.ListUnsubscribeBaseUrl is not null) names.AddRange(["List-Unsubscribe", "List-Unsubscribe-Post"]);
        return [.. names];
    }

    static string Field(string value) => value.Replace(':', '-');

    static bool IsWebUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
