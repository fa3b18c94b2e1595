using Hikyaku.Domain.Providers;

namespace Hikyaku.Dns.Tests.Providers;

public sealed class SiteRollupTests
{
    private static readonly SiteRollup Rollup = SiteRollup.Default;

    [Theory]
    [InlineData("hotmail.com", "hotmail-com.olc.protection.outlook.com")]
    [InlineData("live.jp", "live-jp.olc.protection.outlook.com")]
    [InlineData("contoso.example", "contoso-example.mail.protection.outlook.com")]
    public void Domains_on_microsoft_mx_roll_up_to_microsoft(string domain, string mx) =>
        Assert.Equal(new Site("microsoft", "microsoft"), Rollup.Resolve(domain, [mx]));

    [Fact]
    public void Any_mx_host_of_a_provider_decides_even_behind_a_filter()
    {
        var site = Rollup.Resolve("company.example", ["filter.example-isp.net", "aspmx.l.google.com"]);

        Assert.Equal("google", site.ProviderId);
    }

    [Fact]
    public void Known_domain_without_mx_names_stays_with_its_provider() =>
        Assert.Equal(new Site("docomo", "docomo"), Rollup.Resolve("docomo.ne.jp", []));

    [Fact]
    public void Known_domain_keeps_its_provider_when_the_mx_names_moved() =>
        Assert.Equal("apple", Rollup.Resolve("icloud.com", ["inbound.icloud-new.example"]).ProviderId);

    [Fact]
    public void Domains_on_one_isp_share_the_primary_mx_parent()
    {
        var a = Rollup.Resolve("shop-a.example", ["mx1.example-isp.net", "mx2.example-isp.net"]);
        var b = Rollup.Resolve("shop-b.example", ["mx2.example-isp.net"]);

        Assert.Equal(new Site("example-isp.net", null), a);
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData("mx.example.co.jp", "example.co.jp")]
    [InlineData("mail.example.ne.jp.", "example.ne.jp")]
    [InlineData("mx.example.co.uk", "example.co.uk")]
    [InlineData("mx1.example.jp", "example.jp")]
    [InlineData("example.com", "example.com")]
    public void Isp_site_is_the_registrable_parent(string mx, string site) =>
        Assert.Equal(site, Rollup.Resolve("customer.example", [mx]).Id);

    [Fact]
    public void Unknown_domain_without_mx_names_is_its_own_site() =>
        Assert.Equal(new Site("nowhere.example", null), Rollup.Resolve("NoWhere.Example.", []));
}
