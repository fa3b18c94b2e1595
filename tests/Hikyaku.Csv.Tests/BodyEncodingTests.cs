using System.Text;

namespace Hikyaku.Csv.Tests;

public class BodyEncodingTests
{
    // Japanese as Excel in Japan saves it: kanji, half-width katakana, and characters only CP932 has (NEC's ①, the
    // full-width tilde that Shift_JIS proper maps to a wave dash, IBM's 髙).
    private const string Japanese = "山田太郎,ｶﾀｶﾅ,①～髙";

    [Theory]
    [InlineData(null)]
    [InlineData("shift_jis")]
    [InlineData("Shift_JIS")]
    [InlineData("cp932")]
    [InlineData("windows-31j")]
    [InlineData("x-sjis")]
    public void Cp932_bytes_decode_to_the_original_text_declared_or_detected(string? charset)
    {
        var bytes = BodyEncoding.Cp932.GetBytes(Japanese);

        Assert.True(BodyEncoding.TryDecode(bytes, charset, out var text, out var error), error?.Message);
        Assert.Equal(Japanese, text);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(null, false)]
    [InlineData("utf-8", true)]
    [InlineData("UTF-8", false)]
    public void Utf8_decodes_with_or_without_a_byte_order_mark(string? charset, bool bom)
    {
        var bytes = new UTF8Encoding(bom).GetPreamble().Concat(Encoding.UTF8.GetBytes(Japanese)).ToArray();

        Assert.True(BodyEncoding.TryDecode(bytes, charset, out var text, out _));
        Assert.Equal(Japanese, text);
    }

    [Theory]
    [InlineData("iso-8859-1")]
    [InlineData("latin1")]
    [InlineData("euc-jp")]
    [InlineData("utf-16")]
    public void Another_declared_charset_is_refused_by_name(string charset)
    {
        Assert.False(BodyEncoding.TryDecode("email\na@example.jp\n"u8.ToArray(), charset, out _, out var error));
        Assert.True(error!.UnsupportedCharset);
        Assert.Contains($"'{charset}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_what_was_declared_are_refused_not_garbled()
    {
        var cp932 = BodyEncoding.Cp932.GetBytes(Japanese);

        Assert.False(BodyEncoding.TryDecode(cp932, "utf-8", out _, out var notUtf8));
        Assert.False(notUtf8!.UnsupportedCharset);
        Assert.False(BodyEncoding.TryDecode([0x82, 0xA0, 0x81], "shift_jis", out _, out var notSjis));
        Assert.Contains("not valid Shift_JIS", notSjis!.Message, StringComparison.Ordinal);
        Assert.False(BodyEncoding.TryDecode([0xFF, 0xFE, 0x41, 0x00], null, out _, out var utf16));
        Assert.Contains("UTF-16", utf16!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/csv; charset=shift_jis", "shift_jis")]
    [InlineData("text/csv;charset=\"CP932\"", "CP932")]
    [InlineData("text/csv", null)]
    public void The_charset_is_read_from_the_content_type(string contentType, string? expected) =>
        Assert.Equal(expected, BodyEncoding.CharsetOf(contentType));
}
