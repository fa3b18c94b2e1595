using Hikyaku.Domain.Validation;

namespace Hikyaku.Domain.Tests;

public class EmailAddressTests
{
    [Theory]
    [InlineData("Taro@Example.JP", "taro@example.jp")]
    [InlineData("  hanako@example.com  ", "hanako@example.com")]
    [InlineData("taro..yamada@docomo.ne.jp", "taro..yamada@docomo.ne.jp")]
    [InlineData("taro.@ezweb.ne.jp", "taro.@ezweb.ne.jp")]
    [InlineData(".taro@ezweb.ne.jp", ".taro@ezweb.ne.jp")]
    [InlineData("Taro..Hanako.@au.com", "taro..hanako.@au.com")]
    [InlineData("\"taro..hanako\"@docomo.ne.jp", "taro..hanako@docomo.ne.jp")]
    [InlineData("\"taro\"@i.softbank.jp", "taro@i.softbank.jp")]
    [InlineData("a+tag/x@sub.example.org", "a+tag/x@sub.example.org")]
    [InlineData("user@例え.jp", "user@xn--r8jz45g.jp")]
    public void Valid_addresses_are_normalised(string input, string expected)
    {
        Assert.True(EmailAddress.TryNormalize(input, out var normalized, out var error), error);
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("plainaddress")]
    [InlineData("@example.com")]
    [InlineData("user@")]
    [InlineData("a@b@example.com")]
    [InlineData("user@localhost")]
    [InlineData("user@-bad.example.com")]
    [InlineData("user@example..com")]
    [InlineData("us er@example.com")]
    [InlineData("user\r\n@example.com")]
    [InlineData("user@[127.0.0.1]")]
    [InlineData("user@127.0.0.1")]
    [InlineData("...@example.com")]
    [InlineData("\"taro hanako\"@docomo.ne.jp")]
    [InlineData("\"taro\\\"x\"@docomo.ne.jp")]
    [InlineData("\"\"@docomo.ne.jp")]
    [InlineData("taro\thanako@docomo.ne.jp")]
    public void Invalid_addresses_are_refused_with_a_reason(string input)
    {
        Assert.False(EmailAddress.TryNormalize(input, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void A_local_part_over_64_characters_is_refused()
    {
        Assert.False(EmailAddress.TryNormalize(new string('a', 65) + "@example.com", out _, out var error));
        Assert.Contains("64", error);
    }

    [Theory]
    [InlineData("太郎@docomo.ne.jp")]
    [InlineData("\"tarō\"@ezweb.ne.jp")]
    public void A_non_ASCII_local_part_is_refused_because_it_would_need_SMTPUTF8(string input)
    {
        Assert.False(EmailAddress.TryNormalize(input, out _, out var error));
        Assert.Contains("SMTPUTF8", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_legacy_local_part_that_would_exceed_64_characters_once_quoted_is_refused()
    {
        Assert.True(EmailAddress.TryNormalize(new string('a', 64) + "@docomo.ne.jp", out _, out _));
        Assert.True(EmailAddress.TryNormalize("a.." + new string('a', 59) + "@docomo.ne.jp", out _, out _));
        Assert.False(EmailAddress.TryNormalize("a.." + new string('a', 60) + "@docomo.ne.jp", out _, out var error));
        Assert.Contains("quoted", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("taro", true)]
    [InlineData("taro.hanako", true)]
    [InlineData("a+tag/x-y_z", true)]
    [InlineData("taro..hanako", false)]
    [InlineData("taro.", false)]
    [InlineData(".taro", false)]
    [InlineData("", false)]
    public void Only_a_dot_atom_local_part_goes_out_unquoted(string local, bool dotAtom)
    {
        Assert.Equal(dotAtom, EmailAddress.IsDotAtom(local));
    }

    [Fact]
    public void The_domain_of_a_normalised_address_is_its_last_part()
    {
        Assert.Equal("docomo.ne.jp", EmailAddress.DomainOf("a@b@docomo.ne.jp"[2..]));
    }
}
