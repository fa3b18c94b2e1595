using System.Net;
using Hikyaku.Dns.Tests.Server;
using Hikyaku.Testing.Dns;
using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.Dns.Tests;

public sealed class MxResolverTests : IAsyncLifetime
{
    private LoopbackDnsServer _server = null!;
    private MxResolver _resolver = null!;

    public Task InitializeAsync()
    {
        _server = LoopbackDnsServer.Start(TestZones.Mail);
        _resolver = new MxResolver(_server.Options(), new FakeTimeProvider());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Mx_hosts_come_back_by_preference_with_their_addresses()
    {
        var mx = await _resolver.ResolveAsync("Multi.Test.");

        Assert.Equal(MxStatus.Ok, mx.Status);
        Assert.False(mx.ImplicitMx);
        Assert.Equal(
            ["mx1.multi.test:10:192.0.2.1,2001:db8::1", "mx2.multi.test:20:192.0.2.2", "mx3.multi.test:30:192.0.2.3"],
            mx.Hosts.Select(h => $"{h.Name}:{h.Preference}:{string.Join(',', h.Addresses.OrderBy(a => a.AddressFamily))}"));
        Assert.Equal(TimeSpan.FromSeconds(120), mx.Ttl);
    }

    [Fact]
    public async Task Domain_without_mx_falls_back_to_its_own_address()
    {
        var mx = await _resolver.ResolveAsync("implicit.test");

        Assert.Equal(MxStatus.Ok, mx.Status);
        Assert.True(mx.ImplicitMx);
        var host = Assert.Single(mx.Hosts);
        Assert.Equal(("implicit.test", 0, IPAddress.Parse("192.0.2.10")), (host.Name, host.Preference, Assert.Single(host.Addresses)));
    }

    [Fact]
    public async Task Null_mx_is_a_permanent_refusal_of_all_mail()
    {
        var mx = await _resolver.ResolveAsync("nullmx.test");

        Assert.Equal(MxStatus.NullMx, mx.Status);
        Assert.False(mx.IsTemporary);
        Assert.Empty(mx.Hosts);
    }

    [Fact]
    public async Task Nxdomain_is_no_such_domain_with_the_soa_negative_ttl()
    {
        var mx = await _resolver.ResolveAsync("nosuch.test");

        Assert.Equal(MxStatus.NoSuchDomain, mx.Status);
        Assert.Equal(TimeSpan.FromSeconds(60), mx.Ttl);
    }

    [Theory]
    [InlineData("broken.test")]
    [InlineData("refused.test")]
    [InlineData("flaky.test")]
    public async Task Servfail_refusal_timeout_are_temporary_never_no_such_domain(string domain)
    {
        var mx = await _resolver.ResolveAsync(domain);

        Assert.Equal(MxStatus.TemporaryFailure, mx.Status);
        Assert.True(mx.IsTemporary);
        Assert.NotNull(mx.Error);
    }

    [Theory]
    [InlineData("empty.test")]
    [InlineData("dangling.test")]
    public async Task Domain_with_nowhere_to_deliver_is_no_mail_host(string domain)
    {
        var mx = await _resolver.ResolveAsync(domain);

        Assert.Equal(MxStatus.NoMailHost, mx.Status);
        Assert.False(mx.IsTemporary);
    }

    [Fact]
    public async Task Name_the_server_never_answers_is_a_temporary_failure()
    {
        var impatient = new MxResolver(_server.Options(o => o.Timeout = TimeSpan.FromMilliseconds(300)), new FakeTimeProvider());

        var mx = await impatient.ResolveAsync("silent.test");

        Assert.Equal(MxStatus.TemporaryFailure, mx.Status);
        Assert.Equal(1, _server.Questions("silent.test", ZoneText.Mx));
    }

    [Fact]
    public async Task Name_server_that_never_answers_is_a_temporary_failure()
    {
        using var deaf = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var options = new DnsOptions { NameServers = [deaf.Client.LocalEndPoint!.ToString()!], Timeout = TimeSpan.FromMilliseconds(200), Retries = 0 };

        var mx = await new MxResolver(options, TimeProvider.System).ResolveAsync("multi.test");

        Assert.Equal(MxStatus.TemporaryFailure, mx.Status);
    }
}
