using System.Net;
using Hikyaku.Dns.Tests.Server;
using Hikyaku.Testing.Dns;
using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.Dns.Tests;

public sealed class DnsblCheckerTests : IAsyncLifetime
{
    // Test zones only (RFC 5782 §5: 127.0.0.2 is listed everywhere, 127.0.0.1 nowhere).
    private const string Zone = """
        dnsbl.test.              3600 IN SOA ns.test. hostmaster.test. 1 3600 600 86400 60
        2.0.0.127.dnsbl.test.      60 IN A   127.0.0.2
        2.0.0.127.dnsbl.test.      60 IN A   127.0.0.4
        b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.dnsbl.test. 60 IN A 127.0.0.3
        refusing.test.           3600 IN SOA ns.test. hostmaster.test. 1 3600 600 86400 60
        2.0.0.127.refusing.test.   60 IN A   127.255.255.254
        1.0.0.127.refusing.test.   60 IN A   127.255.255.254
        broken.test. SERVFAIL
        """;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero));
    private LoopbackDnsServer _server = null!;
    private DnsblChecker _checker = null!;

    public Task InitializeAsync()
    {
        _server = LoopbackDnsServer.Start(Zone);
        _checker = new DnsblChecker(_server.Options(o => o.DnsblZones = ["dnsbl.test", "refusing.test"]), _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Listed_ip_reports_every_return_code()
    {
        var results = await _checker.CheckAsync(IPAddress.Parse("127.0.0.2"));

        var listed = results[0];
        Assert.Equal(("dnsbl.test", true, null, _time.GetUtcNow()), (listed.Zone, listed.Listed, listed.Error, listed.CheckedAt));
        Assert.Equal(["127.0.0.2", "127.0.0.4"], listed.ReturnCodes.Select(c => c.ToString()).Order());
    }

    [Fact]
    public async Task Nxdomain_means_not_listed()
    {
        var results = await _checker.CheckAsync(IPAddress.Parse("192.0.2.1"));

        Assert.All(results, r => Assert.Equal((false, null), (r.Listed, r.Error)));
        Assert.Equal(1, _server.Questions("1.2.0.192.dnsbl.test", ZoneText.A));
    }

    [Fact]
    public async Task Refusal_code_is_an_error_not_a_listing()
    {
        var refused = (await _checker.CheckAsync(IPAddress.Parse("127.0.0.1")))[1];

        Assert.Equal("refusing.test", refused.Zone);
        Assert.False(refused.Listed);
        Assert.Contains("refused", refused.Error);
    }

    [Fact]
    public async Task Ipv6_is_asked_by_reversed_nibbles()
    {
        var results = await _checker.CheckAsync(IPAddress.Parse("2001:db8:1:2:3:4:567:89ab"));

        Assert.True(results[0].Listed);
        Assert.Equal("127.0.0.3", Assert.Single(results[0].ReturnCodes).ToString());
    }

    [Fact]
    public async Task Broken_list_gives_no_verdict()
    {
        var checker = new DnsblChecker(_server.Options(o => o.DnsblZones = ["broken.test"]), _time);
        _server.Load(Zone.Replace("broken.test. SERVFAIL", "2.0.0.127.broken.test. SERVFAIL"));

        var result = Assert.Single(await checker.CheckAsync(IPAddress.Parse("127.0.0.2")));

        Assert.False(result.Listed);
        Assert.NotNull(result.Error);
    }

    [Theory]
    [InlineData("192.0.2.99", "99.2.0.192")]
    [InlineData("::ffff:192.0.2.99", "99.2.0.192")]
    [InlineData("2001:db8:1:2:3:4:567:89ab", "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2")]
    public void Query_name_follows_rfc_5782(string ip, string expected) =>
        Assert.Equal(expected, DnsblChecker.ReversedName(IPAddress.Parse(ip)));
}
