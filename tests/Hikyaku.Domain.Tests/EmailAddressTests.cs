using Hikyaku.Domain.Validation;

namespace Hikyaku.Domain.Tests;

public class EmailAddressTests
{
    [Theory]
    [InlineData("Taro@Example.JP", "taro@example.jp")]
    [InlineData("  hanako@example.com  ", "hanako@example.com")]
    [InlineData("taro..yamada@docomo.ne.jp", "taro..yamada@docomo.ne.jp")]
    [InlineData("taro.@ezweb.ne.jp", "taro.@ezweb.ne.jp")]
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

    [Fact]
    public void The_domain_of_a_normalised_address_is_its_last_part()
    {
        Assert.Equal("docomo.ne.jp", EmailAddress.DomainOf("a@b@docomo.ne.jp"[2..]));
    }
}
