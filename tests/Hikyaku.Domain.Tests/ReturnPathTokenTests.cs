using Hikyaku.Domain.Bounces;

namespace Hikyaku.Domain.Tests;

public class ReturnPathTokenTests
{
    private const string Domain = "bounce.hikyaku.example";
    private static readonly ReturnPathToken Tokens = new("cluster-secret-for-tests");
    private static readonly ReturnPath Typical = new("acme", "news", "taro.yamada@example.jp", "b:0195f0a1b2c34d5e8f90123456789abc");

    public static TheoryData<ReturnPath> Paths => new()
    {
        Typical,
        new ReturnPath("Acme_Corp-2", "weekly-JP", "hanako@docomo.ne.jp", "b:spring-sale_2025"),
        new ReturnPath("t", "m", "taro..yamada.@ezweb.ne.jp", "s:welcome-3"),
        new ReturnPath("acme", "news", "o'brien+tag!#$%&*/=?^`{|}~@xn--r8jz45g.jp", "b:0195F0A1B2C34D5E8F90123456789ABC"),
        new ReturnPath("acme", "news", "reader@example.com", "custom:key/with:separators"),
        new ReturnPath("acme", "news", "読者@example.com", "b:x"),
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void A_token_opens_to_the_reader_and_message_it_was_made_for(ReturnPath path)
    {
        var token = Tokens.Create(path);

        Assert.True(Tokens.TryRead(token, out var read));
        Assert.Equal(path, read);
        Assert.Matches("^[a-z2-7]+$", token);
    }

    [Fact]
    public void A_token_survives_an_MTA_that_changes_the_case_of_the_local_part()
    {
        var address = Tokens.Address(Typical, Domain);

        Assert.True(Tokens.TryReadAddress(address.ToUpperInvariant(), Domain, out var read));
        Assert.Equal(Typical, read);
    }

    [Fact]
    public void The_same_message_to_the_same_reader_always_gets_the_same_return_path_and_others_get_another()
    {
        var again = Tokens.Create(Typical with { });
        var otherReader = Tokens.Create(Typical with { Email = "jiro@example.jp" });
        var otherMessage = Tokens.Create(Typical with { MessageKey = "b:0195f0a1b2c34d5e8f90123456789abd" });

        Assert.Equal(Tokens.Create(Typical), again);
        Assert.Equal(3, new[] { again, otherReader, otherMessage }.Distinct().Count());
    }

    [Fact]
    public void A_token_does_not_show_the_address_tenant_or_message()
    {
        var address = Tokens.Address(Typical, Domain);

        Assert.DoesNotContain("taro", address, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("yamada", address, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("acme", address, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("0195f0a1", address, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Changing_any_one_character_of_a_token_makes_it_refused()
    {
        var token = Tokens.Create(Typical);
        var accepted = new List<int>();
        for (var i = 0; i < token.Length; i++)
        {
            var altered = token[..i] + (token[i] == 'a' ? 'b' : 'a') + token[(i + 1)..];
            if (Tokens.TryRead(altered, out _))
            {
                accepted.Add(i);
            }
        }

        Assert.Empty(accepted);
    }

    [Theory]
    [InlineData("")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("not-base32!")]
    [InlineData("abc")]
    public void Made_up_tokens_are_refused(string token)
    {
        Assert.False(Tokens.TryRead(token, out _));
    }

    [Fact]
    public void A_token_made_with_another_secret_or_cut_short_is_refused()
    {
        var foreign = new ReturnPathToken("another-cluster").Create(Typical);
        var token = Tokens.Create(Typical);

        Assert.False(Tokens.TryRead(foreign, out _));
        Assert.False(Tokens.TryRead(token[..^2], out _));
        Assert.False(Tokens.TryRead(token + "aa", out _));
    }

    [Theory]
    [InlineData("bounce+{0}@other.example")]
    [InlineData("reply+{0}@bounce.hikyaku.example")]
    [InlineData("{0}@bounce.hikyaku.example")]
    public void An_address_at_another_domain_or_with_another_prefix_is_not_a_return_path(string format)
    {
        var address = string.Format(format, Tokens.Create(Typical));

        Assert.False(Tokens.TryReadAddress(address, Domain, out _));
    }

    [Fact]
    public void A_typical_return_path_stays_under_a_hundred_characters_and_a_short_one_fits_64_octets()
    {
        // Documented in ReturnPathToken: longer than RFC 5321's 64 for a typical reader and GUID broadcast id.
        var typical = Tokens.Address(Typical, Domain);
        var shortOne = Tokens.Address(new ReturnPath("a", "m", "a@b.jp", "b:x1"), Domain);

        Assert.InRange(typical.IndexOf('@'), 64, 100);
        Assert.InRange(shortOne.IndexOf('@'), 1, 64);
    }
}
