using System.Net;

namespace Hikyaku.EndToEnd.Tests.Infrastructure;

/// <summary>Settings for two silos on one PostgreSQL that find a dead member within seconds, delivering to simulated providers.</summary>
public static class FailoverCluster
{
    public static Dictionary<string, string> Settings(string connectionString, string clusterPrefix, int smtpPort, IPEndPoint dns) => new()
    {
        ["Hikyaku__Storage"] = "Postgres",
        ["ConnectionStrings__Hikyaku"] = connectionString,
        ["Hikyaku__Cluster__ClusterId"] = clusterPrefix + "-" + Guid.NewGuid().ToString("N")[..8],
        ["Hikyaku__Cluster__Membership__ProbeTimeout"] = "00:00:01",
        ["Hikyaku__Cluster__Membership__NumMissedProbesLimit"] = "2",
        ["Hikyaku__Cluster__Membership__NumVotesForDeathDeclaration"] = "1",
        ["Hikyaku__Cluster__Membership__TableRefreshTimeout"] = "00:00:02",
        ["Delivery__Sandbox"] = "false",
        ["Delivery__SmtpPort"] = smtpPort.ToString(),
        ["Dns__NameServers__0"] = dns.ToString(),
        // The catalog's per-IP starting pace (20 a minute at docomo) would spend minutes ramping up after the kill,
        ["Delivery__Lanes__ApplyProviderDefaults"] = "false",
        // and a new IP's warm-up caps would pace the sends.
        ["Delivery__Warmup__NewIps"] = "false",
    };
}
