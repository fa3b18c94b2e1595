using Hikyaku.Domain.Providers;

namespace Hikyaku.Dns.Tests.Providers;

public sealed class ProviderCatalogTests
{
    private static readonly ProviderCatalog Catalog = ProviderCatalog.Default;

    [Fact]
    public void Catalog_holds_the_big_providers_and_japanese_carriers()
    {
        Assert.Equal(
            ["microsoft", "google", "yahoo", "yahoo-jp", "apple", "docomo", "au", "softbank"],
            Catalog.Providers.Select(p => p.Id));
    }

    [Fact]
    public void Every_provider_names_the_postmaster_page_it_comes_from()
    {
        Assert.All(Catalog.Providers, p =>
        {
            Assert.Equal(Uri.UriSchemeHttps, p.Source.Scheme);
            Assert.True(p.DelistUrl is null || p.DelistUrl.Scheme == Uri.UriSchemeHttps, p.Id);
            Assert.NotEmpty(p.Domains);
            Assert.True(p.Defaults.Cooldown > TimeSpan.Zero && p.Defaults.MaxConnectionsPerIp > 0 && p.Defaults.MaxMessagesPerMinutePerIp > 0, p.Id);
        });
    }

    [Fact]
    public void Every_mx_pattern_matches_an_example_host_of_its_provider()
    {
        Assert.All(Catalog.Providers.SelectMany(p => p.MxPatterns.Select(pattern => (p, pattern))), x =>
            Assert.True(x.p.ExampleMxHosts.Any(x.pattern.Matches), $"{x.p.Id}: {x.pattern} matches no example"));
    }

    [Fact]
    public void Every_example_host_belongs_to_its_own_provider_first()
    {
        Assert.All(Catalog.Providers.SelectMany(p => p.ExampleMxHosts.Select(host => (p.Id, host))), x =>
            Assert.Equal(x.Id, Catalog.FindByMxHost(x.host)?.Id));
    }

    [Theory]
    [InlineData("Hotmail.co.jp.", "microsoft")]
    [InlineData("live.jp", "microsoft")]
    [InlineData("googlemail.com", "google")]
    [InlineData("aol.com", "yahoo")]
    [InlineData("ymail.ne.jp", "yahoo-jp")]
    [InlineData("mac.com", "apple")]
    [InlineData("docomo.ne.jp", "docomo")]
    [InlineData("biz.ezweb.ne.jp", "au")]
    [InlineData("i.softbank.jp", "softbank")]
    public void Known_domain_finds_its_provider(string domain, string provider) =>
        Assert.Equal(provider, Catalog.FindByDomain(domain)?.Id);

    [Theory]
    [InlineData("example.com")]
    [InlineData("outlook.example.com")]
    public void Unknown_domain_finds_no_provider(string domain) => Assert.Null(Catalog.FindByDomain(domain));

    [Theory]
    [InlineData("ALT4.GMAIL-SMTP-IN.L.GOOGLE.COM.", "google")]
    [InlineData("contoso-co-jp.mail.protection.outlook.com", "microsoft")]
    [InlineData("mx07.mail.icloud.com", "apple")]
    [InlineData("mx5.mail.yahoo.co.jp", "yahoo-jp")]
    public void Mx_host_finds_its_provider(string host, string provider) =>
        Assert.Equal(provider, Catalog.FindByMxHost(host)?.Id);

    [Theory]
    [InlineData("olc.protection.outlook.com")]
    [InlineData("evil-olc.protection.outlook.com")]
    [InlineData("mx01.mail.icloud.com.evil.test")]
    [InlineData("mail.icloud.com")]
    [InlineData("google.com.evil.test")]
    public void Look_alike_mx_host_finds_no_provider(string host) => Assert.Null(Catalog.FindByMxHost(host));

    [Fact]
    public void Cooldown_is_read_as_an_iso_8601_duration() =>
        Assert.Equal(TimeSpan.FromHours(24), Catalog.FindByDomain("hotmail.com")!.Defaults.Cooldown);

    [Theory]
    [InlineData("*")]
    [InlineData("*.com")]
    [InlineData("com")]
    public void Pattern_broader_than_one_domain_is_rejected(string pattern) =>
        Assert.Throws<FormatException>(() => new MxHostPattern(pattern));

    [Fact]
    public void Domain_claimed_by_two_providers_is_rejected()
    {
        var defaults = new ProviderDefaults(TimeSpan.FromHours(1), 1, 1);
        Provider Make(string id) => new(id, id, ["shared.test"], [], [], null, defaults, new Uri("https://example.test"));

        Assert.Throws<InvalidOperationException>(() => new ProviderCatalog([Make("a"), Make("b")]));
    }
}
