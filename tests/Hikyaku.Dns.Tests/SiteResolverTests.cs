using Hikyaku.Dns.Tests.Server;
using Hikyaku.Testing.Dns;
using Hikyaku.Domain.Providers;
using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.Dns.Tests;

public sealed class SiteResolverTests : IAsyncLifetime
{
    // Loopback only: these are the real providers' MX names served by the test server.
    private const string Zone = """
        hotmail.com.   300 IN MX 2  hotmail-com.olc.protection.outlook.com.
        outlook.com.   300 IN MX 5  outlook-com.olc.protection.outlook.com.
        live.jp.       300 IN MX 5  live-jp.olc.protection.outlook.com.
        hotmail-com.olc.protection.outlook.com. 10 IN A 192.0.2.51
        outlook-com.olc.protection.outlook.com. 10 IN A 192.0.2.52
        live-jp.olc.protection.outlook.com.     10 IN A 192.0.2.53
        shop-a.test.   300 IN MX 10 mx1.example-isp.test.
        shop-a.test.   300 IN MX 20 mx2.example-isp.test.
        shop-b.test.   300 IN MX 10 mx2.example-isp.test.
        mx1.example-isp.test. 300 IN A 192.0.2.61
        mx2.example-isp.test. 300 IN A 192.0.2.62
        own-server.test. 300 IN A 192.0.2.70
        ; gmail.com answers SERVFAIL: the catalog's domain list still places it
        gmail.com. SERVFAIL
        """;

    private LoopbackDnsServer _server = null!;
    private SiteResolver _sites = null!;

    public Task InitializeAsync()
    {
        _server = LoopbackDnsServer.Start(Zone);
        _sites = new SiteResolver(new MxResolver(_server.Options(), new FakeTimeProvider()), SiteRollup.Default);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Microsoft_consumer_domains_share_one_site()
    {
        var sites = await Task.WhenAll(new[] { "hotmail.com", "outlook.com", "live.jp" }.Select(d => _sites.GetSiteAsync(d)));

        Assert.All(sites, s => Assert.Equal(new Site("microsoft", "microsoft"), s.Site));
    }

    [Fact]
    public async Task Unknown_domains_on_one_isp_share_the_isp_site()
    {
        var a = await _sites.GetSiteAsync("shop-a.test");
        var b = await _sites.GetSiteAsync("shop-b.test");

        Assert.Equal(new Site("example-isp.test", null), a.Site);
        Assert.Equal(a.Site, b.Site);
    }

    [Fact]
    public async Task Domain_with_implicit_mx_is_its_own_site()
    {
        var own = await _sites.GetSiteAsync("own-server.test");

        Assert.True(own.Mx.ImplicitMx);
        Assert.Equal(new Site("own-server.test", null), own.Site);
    }

    [Fact]
    public async Task Known_domain_keeps_its_provider_site_while_dns_fails()
    {
        var gmail = await _sites.GetSiteAsync("gmail.com");

        Assert.Equal(MxStatus.TemporaryFailure, gmail.Mx.Status);
        Assert.Equal("google", gmail.Site.ProviderId);
    }
}
