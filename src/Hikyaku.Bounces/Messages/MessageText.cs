using System.Text;
using System.Text.Unicode;
using System.Text.RegularExpressions;
using MimeKit;

namespace Hikyaku.Bounces.Messages;

/// <summary>
/// The parts of a returned message that bounce parsing needs: the human-readable error text (the
/// text before the returned copy of the original), the DSN bodies, and the original message.
/// </summary>
internal sealed partial class MessageText
{
    // The whole text and where the returned original starts in it (-1: nowhere).
    private readonly string all;
    private readonly int cut;
    private string? originalText;

    private MessageText(string all, int cut, IReadOnlyList<string> deliveryStatus, string? feedbackReport, MimeMessage? original)
    {
        this.all = all;
        this.cut = cut;
        ErrorText = cut >= 0 ? all[..cut] : all;
        DeliveryStatus = deliveryStatus;
        FeedbackReport = feedbackReport;
        Original = original;
    }

    /// <summary>Text/plain (or de-tagged HTML) parts outside the returned message, cut where the copy of the original begins.</summary>
    public string ErrorText { get; }

    /// <summary>Bodies of message/delivery-status and message/global-delivery-status parts (RFC 3464, RFC 6533).</summary>
    public IReadOnlyList<string> DeliveryStatus { get; }

    /// <summary>The body of a message/feedback-report part (RFC 5965), or null.</summary>
    public string? FeedbackReport { get; }

    /// <summary>The returned original message or its headers (message/rfc822, text/rfc822-headers), or null.</summary>
    public MimeMessage? Original { get; }

    /// <summary>The text after the "copy of the original" marker when the original is inline, else empty; cut out only when asked for.</summary>
    public string OriginalText => originalText ??= cut >= 0 ? all[cut..] : string.Empty;

    public static MessageText Of(MimeMessage message)
    {
        var texts = new List<string>();
        var html = new List<TextPart>();
        var dsn = new List<string>();
        string? feedback = null;
        MimeMessage? original = null;
        foreach (var entity in Leaves(message.Body))
        {
            switch (entity)
            {
                case MessagePart mp:
                    original ??= mp.Message;
                    break;
                case MimePart part when IsType(part, "message", "delivery-status") || IsType(part, "message", "global-delivery-status"):
                    dsn.Add(Decode(part));
                    break;
                case MimePart part when IsType(part, "message", "feedback-report"):
                    feedback ??= Decode(part);
                    break;
                case TextPart text when text.IsHtml:
                    html.Add(text); // decoded only when there is no plain text to read
                    break;
                case TextPart text when !IsType(text, "text", "rfc822-headers"):
                    texts.Add(ReadText(text));
                    break;
            }
        }

        if (texts.Count == 0 && html.Count == 0 && message.Body is Multipart { Count: 0 } broken)
        {
            // A boundary that never occurs leaves every byte in the preamble (RFC 2046 5.1.1); read it as text.
            texts.Add(broken.Preamble ?? string.Empty);
        }

        var all = texts.Count > 0 ? string.Join("\n", texts) : Tags().Replace(string.Join("\n", html.Select(h => h.Text ?? string.Empty)), " ");
        return new MessageText(all, OriginalStart(all), dsn, feedback, original);
    }

    // The offset of the first line that announces the returned original, or -1. Line by line with
    // an anchored pattern, so the cost stays linear however the text is laid out.
    private static int OriginalStart(string text)
    {
        for (var start = 0; start < text.Length;)
        {
            var end = text.IndexOf('\n', start);
            var line = text.AsSpan(start, (end < 0 ? text.Length : end) - start).TrimStart(" \t-=_*");
            if (line.Length > 0 && (!char.IsAscii(line[0]) || MarkerFirstLetters.Contains(line[0])) && OriginalMarker().IsMatch(line))
            {
                return start;
            }

            start = end < 0 ? text.Length : end + 1;
        }

        return -1;
    }

    private static IEnumerable<MimeEntity> Leaves(MimeEntity? entity)
    {
        if (entity is Multipart multipart)
        {
            foreach (var child in multipart)
            {
                foreach (var leaf in Leaves(child))
                {
                    yield return leaf;
                }
            }
        }
        else if (entity is not null)
        {
            yield return entity;
        }
    }

    private static bool IsType(MimeEntity entity, string type, string subtype) =>
        entity.ContentType.IsMimeType(type, subtype);

    // MimeKit's TextPart.Text looks the declared charset up (throwing and catching inside for names it
    // cannot map), and without one decodes strictly as UTF-8 (throwing on a bad byte), copying the content
    // twice on the way. Seven-bit text in a charset that is a superset of ASCII, and valid UTF-8 declared
    // as UTF-8 or undeclared, read the same whatever it tries: those are decoded here, once, with its
    // CRLF-to-LF line endings. Anything else (ISO-2022-JP is seven-bit too, but not ASCII) goes to MimeKit.
    private static string ReadText(TextPart part)
    {
        if (part.Content is null || ReadsAsUtf8(part.ContentType.Charset) is not { } utf8Declared)
        {
            return part.Text ?? string.Empty;
        }

        using var stream = part.Content.Open();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = UnixLineEndings(memory.GetBuffer().AsSpan(0, (int)memory.Length));
        var plain = bytes.IndexOfAnyInRange((byte)0x1B, (byte)0x1B) < 0 && Ascii.IsValid(bytes);
        if (plain || (utf8Declared && Utf8.IsValid(bytes) && !bytes.StartsWith(Utf8Bom)))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        return part.Text ?? string.Empty;
    }

    // Drops the CR of every CRLF in place, as MimeKit's text decoding does.
    private static Span<byte> UnixLineEndings(Span<byte> bytes)
    {
        var first = bytes.IndexOf("\r\n"u8);
        if (first < 0)
        {
            return bytes;
        }

        var written = first;
        for (var read = first; read < bytes.Length; read++)
        {
            if (bytes[read] != (byte)'\r' || read + 1 == bytes.Length || bytes[read + 1] != (byte)'\n')
            {
                bytes[written++] = bytes[read];
            }
        }

        return bytes[..written];
    }

    // Null for a charset whose ASCII bytes may not read as ASCII; true when UTF-8 (or nothing) is declared.
    private static bool? ReadsAsUtf8(string? charset)
    {
        if (string.IsNullOrEmpty(charset) || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase) || charset.Equals("ascii", StringComparison.OrdinalIgnoreCase)
            || charset.StartsWith("iso-8859-", StringComparison.OrdinalIgnoreCase) || charset.StartsWith("windows-125", StringComparison.OrdinalIgnoreCase)
            ? false : null;
    }

    private static string Decode(MimePart part)
    {
        if (part.Content is null)
        {
            return string.Empty;
        }

        using var stream = part.Content.Open();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        memory.Position = 0;

        // What a StreamReader would read: for valid UTF-8 without a byte order mark that is plain UTF-8
        // decoding, without the reader's buffers; anything else goes through the reader as before.
        // (The UTF-16 and UTF-32 marks hold FE and FF, which valid UTF-8 never does.)
        var bytes = memory.GetBuffer().AsSpan(0, (int)memory.Length);
        if (Utf8.IsValid(bytes) && !bytes.StartsWith(Utf8Bom))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        using var reader = new StreamReader(memory);
        return reader.ReadToEnd();
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    // The letters a marker line can start with (either case; the first character of each of OriginalMarker's
    // alternatives). Most lines start with none, and skip the regex; a non-ASCII start still goes through it.
    private static readonly System.Buffers.SearchValues<char> MarkerFirstLetters = System.Buffers.SearchValues.Create("tacborumhTACBORUMH");

    // Where MTAs start the returned copy (qmail, Exim, Sendmail, Postfix, Exchange, Gmail and others),
    // matched at the start of a line stripped of blanks and rule characters.
    [GeneratedRegex(@"\A(?:(?:this is )?a? ?copy of (?:the|your) (?:original )?message|below this line is a copy|original (?:message|mail) (?:as follows|follows|headers)|original message|returned message|unsent message (?:below|follows)|undelivered message (?:headers )?(?:follows|attached)|(?:the )?headers? (?:of|from) (?:the|your) (?:original|returned) message|message headers follow|original message header|content-type: message/rfc822)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OriginalMarker();

    [GeneratedRegex("<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tags();
}
