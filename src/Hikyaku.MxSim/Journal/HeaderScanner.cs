using System.Buffers;
using System.Text;
using MimeKit.Utils;

namespace Hikyaku.MxSim.Journal;

/// <summary>
/// Reads Message-ID and Subject from the header block of a received message without parsing the
/// MIME body: the sink must keep up with thousands of messages a second, and the journal needs
/// only these two headers. Handles folded headers (RFC 5322 §2.2.3) and encoded words (RFC 2047).
/// </summary>
internal static class HeaderScanner
{
    static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    /// <summary>Returns the Message-ID (without angle brackets) and the decoded Subject, each null when absent.</summary>
    public static (string? MessageId, string? Subject) Scan(in ReadOnlySequence<byte> message)
    {
        var reader = new SequenceReader<byte>(message);
        var headers = reader.TryReadTo(out ReadOnlySequence<byte> block, HeaderEnd, advancePastDelimiter: false) ? block : message;
        // Headers are a few hundred bytes and almost always in the first segment; copy only when they straddle one.
        var span = headers.IsSingleSegment ? headers.FirstSpan : headers.ToArray();

        string? messageId = null, subject = null;
        while (!span.IsEmpty)
        {
            var length = FieldLength(span);
            var field = span[..length];
            span = span[Math.Min(length + 2, span.Length)..];
            if (messageId is null && TryValue(field, "Message-ID:"u8, out var id))
                messageId = Encoding.ASCII.GetString(Unfold(id)).Trim().Trim('<', '>');
            else if (subject is null && TryValue(field, "Subject:"u8, out var text))
                subject = Rfc2047.DecodeText(Unfold(text)).Trim();
        }
        return (messageId, subject);
    }

    /// <summary>Length of the header field at the start of <paramref name="span"/>, continuation lines included, without its final CRLF.</summary>
    static int FieldLength(ReadOnlySpan<byte> span)
    {
        var end = 0;
        while (true)
        {
            var eol = span[end..].IndexOf("\r\n"u8);
            if (eol < 0) return span.Length;
            end += eol;
            // A line starting with white space continues the field (folding).
            if (end + 2 >= span.Length || span[end + 2] is not ((byte)' ' or (byte)'\t')) return end;
            end += 2;
        }
    }

    static bool TryValue(ReadOnlySpan<byte> field, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var matches = field.Length >= name.Length && Ascii.EqualsIgnoreCase(field[..name.Length], name);
        value = matches ? field[name.Length..] : default;
        return matches;
    }

    static byte[] Unfold(ReadOnlySpan<byte> value)
    {
        var result = new byte[value.Length];
        var n = 0;
        foreach (var b in value)
        {
            if (b is not ((byte)'\r' or (byte)'\n')) result[n++] = b;
        }
        return n == result.Length ? result : result[..n];
    }
}
