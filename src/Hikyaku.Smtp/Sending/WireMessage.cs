using MimeKit;

namespace Hikyaku.Smtp.Sending;

/// <summary>
/// Lets MailKit send bytes that are already a whole message: a <see cref="MimeMessage"/> with no
/// headers of its own whose body writes the bytes verbatim. MailKit still dot-stuffs them
/// (RFC 5321 §4.5.2) and adds the final dot. One per connection, reused for each message.
/// </summary>
internal sealed class WireMessage
{
    readonly RawContent _content = new();

    public WireMessage()
    {
        // A parsed message is in loose compliance mode, the only mode that writes no MIME-Version
        // and no blank line of its own before the body; the parsed headers are then removed.
        using var template = new MemoryStream("X: x\r\n\r\n"u8.ToArray());
        Message = MimeMessage.Load(template);
        Message.Headers.Clear();
        Message.Body = _content;
    }

    /// <summary>The message to hand to <c>SmtpClient.SendAsync</c>.</summary>
    public MimeMessage Message { get; }

    /// <summary>Points the message at <paramref name="bytes"/> for the next send.</summary>
    public void Set(ReadOnlyMemory<byte> bytes) => _content.Bytes = bytes;

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
