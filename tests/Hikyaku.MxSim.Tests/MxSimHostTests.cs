using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.MxSim.Tests;

public sealed class MxSimHostTests
{
    [Fact]
    public async Task Default_host_routes_every_big_provider_domain_to_its_own_listening_provider()
    {
        await using var host = await MxSimHost.StartDefaultAsync(new FakeTimeProvider(Simulator.Start));
        string[] domains =
        [
            "hotmail.com", "outlook.com", "live.jp", "hotmail.co.jp", "outlook.jp", "gmail.com", "googlemail.com",
            "yahoo.com", "yahoo.co.jp", "icloud.com", "me.com", "mac.com", "docomo.ne.jp", "ezweb.ne.jp", "au.com",
            "softbank.ne.jp", "i.softbank.jp",
        ];

        Assert.All(domains, d => Assert.NotNull(host.ResolveEndpoint(d)));
        Assert.Equal(host.ResolveEndpoint("live.jp"), host.ResolveEndpoint("HOTMAIL.COM."));
        Assert.NotEqual(host.ResolveEndpoint("yahoo.com"), host.ResolveEndpoint("yahoo.co.jp"));
        Assert.Equal(host.Providers.Count, host.Providers.Select(p => p.Endpoint).Distinct().Count());
        Assert.All(host.Providers, p => Assert.NotEqual(0, p.Endpoint.Port));
        Assert.Null(host.ResolveEndpoint("example.com"));

        await SmtpTestClient.SendAsync(host.ResolveEndpoint("au.com")!, "127.0.0.4", SmtpTestClient.Message("anyone@au.com"));
        Assert.Equal("au", Assert.Single(host.Journal.Accepted).Provider);
    }

    [Fact]
    public async Task A_provider_outside_loopback_is_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => MxSimHost.StartAsync(
            [new ProviderOptions { Profile = "google", Listen = new IPEndPoint(IPAddress.Any, 0) }]));

        Assert.Contains("loopback", error.Message);
    }

    [Fact]
    public async Task Config_file_sets_mailboxes_and_per_source_behaviours()
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, """
            { "providers": [ { "profile": "microsoft", "listen": "127.0.0.1:0", "mailboxes": ["taro@hotmail.com"],
                "sourceBehaviours": { "127.0.0.2": { "kind": "RateLimit", "messagesPerMinute": 5 } } } ] }
            """);
        try
        {
            await using var host = await MxSimHost.StartAsync(MxSimConfig.Load(path).ToOptions());
            var microsoft = host["microsoft"];

            Assert.Equal((true, false, false), (microsoft.HasMailbox("taro@hotmail.com"), microsoft.HasMailbox("jiro@hotmail.com"), microsoft.AcceptAll));
            Assert.Equal(Behaviour.RateLimit(5), microsoft.BehaviourFor(IPAddress.Parse("127.0.0.2")));
            Assert.Equal(Behaviour.Accept, microsoft.BehaviourFor(IPAddress.Parse("127.0.0.3")));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
