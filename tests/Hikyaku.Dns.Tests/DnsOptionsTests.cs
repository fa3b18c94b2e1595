using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hikyaku.Dns.Tests;

public sealed class DnsOptionsTests
{
    [Fact]
    public void Name_servers_take_an_optional_port_defaulting_to_53()
    {
        var options = new DnsOptions { NameServers = ["127.0.0.1:5353", "192.0.2.53", "[::1]:5300"] };

        Assert.Empty(options.Validate());
        Assert.Equal(
            [new IPEndPoint(IPAddress.Loopback, 5353), new IPEndPoint(IPAddress.Parse("192.0.2.53"), 53), new IPEndPoint(IPAddress.IPv6Loopback, 5300)],
            options.NameServerEndPoints());
    }

    [Fact]
    public void Nonsense_is_reported_key_by_key()
    {
        var options = new DnsOptions
        {
            NameServers = ["dns.example:53"], Timeout = TimeSpan.Zero, Retries = -1,
            MinTtl = TimeSpan.FromHours(2), TemporaryFailureTtl = TimeSpan.FromHours(1), DnsblZones = ["spamhaus"],
        };

        Assert.Equal(6, options.Validate().Count);
    }

    [Fact]
    public void Registration_binds_the_dns_section_and_serves_the_resolvers()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dns:NameServers:0"] = "127.0.0.1:5353",
            ["Dns:Timeout"] = "00:00:02",
        }).Build();
        using var provider = new ServiceCollection().AddHikyakuDns(configuration.GetSection(DnsOptions.SectionName)).BuildServiceProvider();

        Assert.Equal(["127.0.0.1:5353"], provider.GetRequiredService<IOptions<DnsOptions>>().Value.NameServers);
        Assert.NotNull(provider.GetRequiredService<ISiteResolver>());
        Assert.NotNull(provider.GetRequiredService<IDnsblChecker>());
    }

    [Fact]
    public void Registration_refuses_a_bad_name_server()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dns:NameServers:0"] = "not-an-ip",
        }).Build();
        using var provider = new ServiceCollection().AddHikyakuDns(configuration.GetSection("Dns")).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DnsOptions>>().Value);
        Assert.Contains("not-an-ip", error.Message);
    }
}
