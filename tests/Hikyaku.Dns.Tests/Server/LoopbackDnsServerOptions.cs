using Hikyaku.Testing.Dns;

namespace Hikyaku.Dns.Tests.Server;

internal static class LoopbackDnsServerOptions
{
    /// <summary>
    /// Options pointing DnsClient at this server only, without retries. The timeout leaves room for
    /// a busy CI machine; tests of a silent server shorten it.
    /// </summary>
    public static DnsOptions Options(this LoopbackDnsServer server, Action<DnsOptions>? configure = null)
    {
        var options = new DnsOptions { NameServers = [server.EndPoint.ToString()], Timeout = TimeSpan.FromSeconds(2), Retries = 0 };
        configure?.Invoke(options);
        return options;
    }
}
