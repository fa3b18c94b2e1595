using Hikyaku.Domain.Validation;

namespace Hikyaku.Domain.Tests;

public class HeaderAndIdentifierTests
{
    [Theory]
    [InlineData("Weekly news\r\nBcc: victim@example.com")]
    [InlineData("line\nbreak")]
    [InlineData("carriage\rreturn")]
    [InlineData("nul\0byte")]
    public void Header_text_with_line_breaks_or_controls_is_refused(string value)
    {
        Assert.False(HeaderText.IsValid(value, 200, required: true, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Header_text_in_japanese_is_accepted()
    {
        Assert.True(HeaderText.IsValid("飛脚だより　第1号", 200, required: true, out _));
    }

    [Fact]
    public void A_missing_required_header_text_is_refused_but_an_optional_one_is_not()
    {
        Assert.False(HeaderText.IsValid(" ", 200, required: true, out var error));
        Assert.Equal("is required", error);
        Assert.True(HeaderText.IsValid(null, 200, required: false, out _));
    }

    [Theory]
    [InlineData("acme", true)]
    [InlineData("Acme_2-x", true)]
    [InlineData("-acme", false)]
    [InlineData("a/b", false)]
    [InlineData("a:b", false)]
    [InlineData("", false)]
    [InlineData("ａｃｍｅ", false)]
    public void Identifiers_are_letters_digits_dash_underscore(string id, bool valid)
    {
        Assert.Equal(valid, Identifier.IsValid(id, out _));
    }
}
