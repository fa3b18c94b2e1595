using MimeKit;
using MimeKit.IO;
using MimeKit.IO.Filters;

namespace Hikyaku.Smtp.Composition;

/// <summary>
/// A message body encoded once and written as stored bytes: one instance is shared by every
/// reader's message of an issue, so per reader only the headers are built (DESIGN: "MIME built
/// once per body"). Immutable after construction, hence safe to write from several threads.
/// </summary>
internal sealed class PreEncodedBody : MimeEntity
{
    readonly byte[] _content;

    /// <summary>Encodes <paramref name="entity"/> (already given 7-bit transfer encodings) with CRLF line ends.</summary>
    public PreEncodedBody(MimeEntity entity) : base(entity.ContentType)
    {
        foreach (var header in entity.Headers)
        {
            if (header.Id != HeaderId.ContentType) Headers.Add(header.Clone());
        }
        using var buffer = new MemoryStream();
        entity.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, buffer, contentOnly: true);
        // The final dot of DATA must follow a line end (RFC 5321 §4.1.1.4).
        if (buffer.Length < 2 || buffer.GetBuffer()[(int)buffer.Length - 1] != '\n') buffer.Write("\r\n"u8);
        _content = buffer.ToArray();
    }

    /// <summary>The encoded content's length in bytes.</summary>
    public int Length => _content.Length;

    /// <inheritdoc />
    public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
    {
        // Encoded for 7-bit transport when built; nothing to change.
    }

    /// <inheritdoc />
    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        if (!contentOnly)
        {
            // Written alone (not as a message body): headers, blank line, content.
            Headers.WriteTo(options, stream, cancellationToken);
            stream.Write(options.NewLineFormat == NewLineFormat.Dos ? "\r\n"u8 : "\n"u8);
        }
        if (options.NewLineFormat == NewLineFormat.Dos)
        {
            stream.Write(_content);
            return;
        }
        using var filtered = new FilteredStream(stream);
        filtered.Add(new Dos2UnixFilter());
        filtered.Write(_content, 0, _content.Length, cancellationToken);
        filtered.Flush(cancellationToken);
    }

    /// <inheritdoc />
    public override Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        // Written only into memory (the composer serialises each message once; the sender writes
        // bytes), so the synchronous path does not block on I/O.
        WriteTo(options, stream, contentOnly, cancellationToken);
        return Task.CompletedTask;
    }
}
