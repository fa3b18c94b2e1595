using System.Text;

namespace Hikyaku.Csv;

/// <summary>Why a body's bytes could not be turned into text.</summary>
/// <param name="UnsupportedCharset">The declared charset is one Hikyaku does not read (answer 415), rather than bytes that are not what was declared.</param>
public sealed record BodyEncodingError(string Message, bool UnsupportedCharset);

/// <summary>
/// Turns an import body into text. Reads UTF-8 (with or without a byte order mark) and Shift_JIS as Windows writes it
/// (code page 932, "CP932" / "Windows-31J": JIS X 0208 plus the NEC and IBM extensions such as ① and 髙, which Excel in
/// Japan uses for CSV by default). The charset comes from the Content-Type; without one, UTF-8 is tried first and
/// CP932 when the bytes are not valid UTF-8 (a CP932 file with any non-ASCII text is almost never valid UTF-8, see
/// the Unicode Standard 3.9, D92, for the byte sequences UTF-8 allows). Decoding is strict: a byte that is not valid in
/// the encoding refuses the body rather than becoming U+FFFD.
/// </summary>
public static class BodyEncoding
{
    private static readonly string[] Utf8Names = ["utf-8", "utf8", "us-ascii", "ascii"];

    private static readonly string[] Cp932Names =
        ["shift_jis", "shift-jis", "sjis", "x-sjis", "cp932", "ms932", "windows-31j", "x-ms-cp932", "csshiftjis", "cswindows31j"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Code page 932 with exception fallbacks: an invalid byte sequence throws instead of becoming '?'.</summary>
    public static Encoding StrictCp932 { get; } =
        CodePagesEncodingProvider.Instance.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
        ?? throw new InvalidOperationException("code page 932 is not available");

    /// <summary>Code page 932 for writing exports: a character it cannot encode (an emoji, say) becomes '?'.</summary>
    public static Encoding Cp932 { get; } =
        CodePagesEncodingProvider.Instance.GetEncoding(932, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback)
        ?? throw new InvalidOperationException("code page 932 is not available");

    /// <summary>The charset parameter of a Content-Type header, unquoted, or null.</summary>
    public static string? CharsetOf(string? contentType)
    {
        foreach (var part in (contentType ?? "").Split(';').Skip(1))
        {
            var eq = part.IndexOf('=');
            if (eq > 0 && part[..eq].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                return part[(eq + 1)..].Trim().Trim('"').Trim();
            }
        }

        return null;
    }

    public static bool TryDecode(byte[] body, string? charset, out string text, out BodyEncodingError? error)
    {
        ArgumentNullException.ThrowIfNull(body);
        text = string.Empty;
        error = null;
        if (string.IsNullOrEmpty(charset))
        {
            if (body.AsSpan().StartsWith<byte>([0xFF, 0xFE]) || body.AsSpan().StartsWith<byte>([0xFE, 0xFF]))
            {
                error = new("the body is UTF-16 (it starts with a UTF-16 byte order mark): send UTF-8 or Shift_JIS (CP932)", UnsupportedCharset: true);
                return false;
            }

            if (TryDecode(body, StrictUtf8, out text) || TryDecode(body, StrictCp932, out text))
            {
                return true;
            }

            error = new("the body is neither valid UTF-8 nor valid Shift_JIS (CP932); declare its charset", UnsupportedCharset: false);
            return false;
        }

        var name = charset.ToLowerInvariant();
        if (Utf8Names.Contains(name))
        {
            if (TryDecode(body, StrictUtf8, out text))
            {
                return true;
            }

            error = new($"the body is not valid UTF-8 although charset={charset} was declared (Shift_JIS files: declare charset=shift_jis, or leave the charset out)", UnsupportedCharset: false);
            return false;
        }

        if (Cp932Names.Contains(name))
        {
            if (TryDecode(body, StrictCp932, out text))
            {
                return true;
            }

            error = new($"the body is not valid Shift_JIS (CP932) although charset={charset} was declared", UnsupportedCharset: false);
            return false;
        }

        error = new($"charset '{charset}' is not supported: send UTF-8 (with or without BOM) or Shift_JIS (charset=shift_jis, CP932)", UnsupportedCharset: true);
        return false;
    }

    private static bool TryDecode(byte[] body, Encoding encoding, out string text)
    {
        try
        {
            var start = encoding is UTF8Encoding && body.AsSpan().StartsWith<byte>([0xEF, 0xBB, 0xBF]) ? 3 : 0;
            text = encoding.GetString(body, start, body.Length - start);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }
}
