using MimeKit;

namespace Hikyaku.Smtp.Sending;

/// <summary>
/// Lets MailKit send bytes that are already a whole message. MailKit only sends a <see cref="MimeMessage"/>, which
/// writes its header list, then a blank line, then its body; so the composed header block goes in as the raw value
/// of one header (named like the block's first field) and the rest as a body that writes itself verbatim. The
/// provider receives exactly the composed bytes. MailKit still dot-stuffs them (RFC 5321 §4.5.2) and adds the final
/// dot. One per connection, reused for each message.
/// </summary>
internal sealed class WireMessage
{
    static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    readonly RawContent _content = new();

    public WireMessage()
    {
        // A parsed message is in loose compliance mode, the only mode that adds no MIME-Version of its own.
        using var template = new MemoryStream("X: x\r\n\r\n"u8.ToArray());
        Message = MimeMessage.Load(template);
        Message.Headers.Clear();
        Message.Body = _content;
    }

    /// <summary>The message to hand to <c>SmtpClient.SendAsync</c>.</summary>
    public MimeMessage Message { get; }

    /// <summary>Points the message at <paramref name="bytes"/> (a message with CRLF line ends) for the next send.</summary>
    /// <exception cref="ArgumentException">The bytes do not start with a header block ended by a blank line.</exception>
    public void Set(ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        var end = span.IndexOf(HeaderEnd);
        var colon = span.IndexOf((byte)':');
        if (end < 0 || colon <= 0 || colon > end)
        {
            throw new ArgumentException("A composed message starts with its header block, ended by an empty line.", nameof(bytes));
        }

        var first = new Header(System.Text.Encoding.ASCII.GetString(span[..colon]), string.Empty);
        first.SetRawValue(span[(colon + 1)..(end + 2)].ToArray());
        Message.Headers.Clear();
        Message.Headers.Add(first);
        _content.Bytes = bytes[(end + 4)..];
    }

    sealed class RawContent : MimeEntity
    {
        public RawContent() : base("application", "octet-stream") => Headers.Clear();

        public ReadOnlyMemory<byte> Bytes { get; set; }

        public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
        {
            // Composed for 7-bit transport already (see MessageComposer).
        }

        public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default) =>
            stream.Write(Bytes.Span);

        public override Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default) =>
            stream.WriteAsync(Bytes, cancellationToken).AsTask();
    }
}
