using System.Net;
using Microsoft.Extensions.Configuration;

namespace Hikyaku.Dns.Tests;

public sealed class RouteTableTests
{
    private static readonly RouteTable Routes = new(new Dictionary<string, string>
    {
        ["example.jp"] = "127.0.0.1:2525",
        ["*.example.jp"] = "sink.test:2526",
        ["*.deep.example.jp"] = "[::1]:2527",
        ["plain.test"] = "relay.test",
    }, defaultPort: 587);

    [Theory]
    [InlineData("EXAMPLE.jp.", "127.0.0.1", 2525)]
    [InlineData("shop.example.jp", "sink.test", 2526)]
    [InlineData("a.deep.example.jp", "::1", 2527)]
    [InlineData("plain.test", "relay.test", 587)]
    public void Routed_domain_goes_to_the_most_specific_pattern(string domain, string host, int port) =>
        Assert.Equal(new DnsEndPoint(host, port), Routes.Find(domain));

    [Theory]
    [InlineData("notexample.jp")]
    [InlineData("example.jp.evil.test")]
    public void Unrouted_domain_uses_mx_lookup(string domain) => Assert.Null(Routes.Find(domain));

    [Fact]
    public void Star_routes_everything_else() =>
        Assert.Equal(new DnsEndPoint("127.0.0.1", 2500), new RouteTable([new("*", "127.0.0.1:2500")]).Find("gmail.com"));

    [Fact]
    public void Target_with_a_bad_port_is_rejected() =>
        Assert.Throws<FormatException>(() => new RouteTable([new("x.test", "host:http")]));

    [Fact]
    public void Routes_are_read_from_the_delivery_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Delivery:Routes:example.jp"] = "127.0.0.1:2525",
            ["Delivery:Routes:*"] = "sink.test",
        }).Build();

        var routes = RouteTable.FromConfiguration(configuration.GetSection("Delivery:Routes"), defaultPort: 2500);

        Assert.Equal(
            [new DnsEndPoint("127.0.0.1", 2525), new DnsEndPoint("sink.test", 2500)],
            [routes.Find("example.jp"), routes.Find("gmail.com")]);
    }
}
