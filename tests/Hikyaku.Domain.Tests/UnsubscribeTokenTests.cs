using Hikyaku.Domain.Unsubscribe;

namespace Hikyaku.Domain.Tests;

public sealed class UnsubscribeTokenTests
{
    [Fact]
    public void A_token_opens_to_its_reader_under_the_same_secret_and_hides_the_address()
    {
        var tokens = new UnsubscribeToken("cluster-secret-1");
        var token = tokens.Create("acme", "news", "taro@example.jp");

        Assert.DoesNotContain("taro", token, StringComparison.OrdinalIgnoreCase);
        Assert.Matches("^[A-Za-z0-9_-]+$", token); // URL-safe, no padding
        Assert.True(tokens.TryRead(token, out var tenant, out var magazine, out var email));
        Assert.Equal(("acme", "news", "taro@example.jp"), (tenant, magazine, email));
    }

    [Fact]
    public void An_altered_token_another_secret_or_garbage_does_not_open()
    {
        var token = new UnsubscribeToken("cluster-secret-1").Create("acme", "news", "taro@example.jp");
        var altered = (token[^3] == 'A' ? 'B' : 'A') is var c ? token[..^3] + c + token[^2..] : token;

        Assert.False(new UnsubscribeToken("cluster-secret-1").TryRead(altered, out _, out _, out _));
        Assert.False(new UnsubscribeToken("cluster-secret-2").TryRead(token, out _, out _, out _));
        Assert.False(new UnsubscribeToken("cluster-secret-1").TryRead("not*base64", out _, out _, out _));
        Assert.False(new UnsubscribeToken("cluster-secret-1").TryRead("", out _, out _, out _));
        Assert.False(new UnsubscribeToken("cluster-secret-1").TryRead(new string('A', 40), out _, out _, out _));
    }
}
