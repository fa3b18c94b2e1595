using Hikyaku.Domain.Tenants;

namespace Hikyaku.Domain.Tests;

public class TenantRulesTests
{
    [Fact]
    public void An_api_key_names_its_tenant_and_only_its_secret_hash_is_kept()
    {
        var (key, hash) = ApiKey.Create("acme_2");

        Assert.StartsWith("hk.acme_2.", key, StringComparison.Ordinal);
        Assert.DoesNotContain(hash, key, StringComparison.Ordinal);
        Assert.True(ApiKey.TryParse(key, out var tenant, out var parsedHash));
        Assert.Equal("acme_2", tenant);
        Assert.True(ApiKey.HashesEqual(hash, parsedHash));
    }

    [Fact]
    public void A_changed_secret_does_not_match()
    {
        var (key, hash) = ApiKey.Create("acme");
        Assert.True(ApiKey.TryParse(key[..^1] + (key[^1] == 'A' ? 'B' : 'A'), out _, out var other));
        Assert.False(ApiKey.HashesEqual(hash, other));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bearer x")]
    [InlineData("hk.")]
    [InlineData("hk.acme")]
    [InlineData("hk.acme.")]
    [InlineData("hk..secret")]
    public void Malformed_keys_do_not_parse(string key) => Assert.False(ApiKey.TryParse(key, out _, out _));

    [Fact]
    public void An_ip_pool_is_canonical_and_refuses_bad_or_repeated_addresses()
    {
        Assert.Equal(["127.0.0.2", "::1"], IpPool.Normalize(["127.0.0.2", "0:0:0:0:0:0:0:1"]).Value);
        Assert.Equal("ips[1]", IpPool.Normalize(["127.0.0.2", "127.0.0.x"]).Error!.Field);
        Assert.Equal("ips[1]", IpPool.Normalize(["127.0.0.2", "127.0.0.2"]).Error!.Field);
        Assert.Equal("ips[0]", IpPool.Normalize(["0.0.0.0"]).Error!.Field);
        Assert.Equal("ips[0]", IpPool.Normalize(["10.0.0.0/8"]).Error!.Field);
        Assert.Equal("ips", IpPool.Normalize(null).Error!.Field);
    }
}
