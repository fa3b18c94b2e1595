using Orleans.Dashboard;
using System.Net;
using Hikyaku.Grains.Storage;
using Hikyaku.Hosting;
using Orleans.Configuration;

namespace Hikyaku.Silo.Hosting;

/// <summary>The Orleans side of the host: the embedded default, or a PostgreSQL-backed cluster.</summary>
public static class SiloComposition
{
    public static void ConfigureSilo(this ISiloBuilder silo, HikyakuOptions options, string? postgres)
    {
        silo.AddCustomStorageBasedLogConsistencyProvider(EventSourcedGrain<Domain.Readers.ReaderState, Contracts.Events.ReaderEvent>.ProviderName);
        silo.AddDashboard();
        var cluster = options.Cluster;
        if (options.Storage == StorageKind.Postgres)
        {
            silo.UsePostgresCluster(postgres!, cluster.ClusterId);
            silo.UseKubernetesHostingWhenInPod();
            silo.ConfigureEndpoints(
                cluster.AdvertisedIp is { } ip ? IPAddress.Parse(ip) : IPAddress.Loopback,
                cluster.SiloPort,
                cluster.GatewayPort,
                listenOnAnyHostAddress: cluster.AdvertisedIp is not null);
        }
        else
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ClusterId, clusterId: cluster.ClusterId);
            silo.UseEmbeddedReminders(Path.Combine(options.DataDir, "reminders.db"));
        }

        // Failure detection can be tuned (Hikyaku:Cluster:Membership:ProbeTimeout, NumMissedProbesLimit, ...);
        // Orleans' defaults take tens of seconds to declare a killed silo dead.
        silo.Configure<ClusterMembershipOptions>(o => o.DefunctSiloExpiration = TimeSpan.FromHours(1));
        silo.Configure<ClusterMembershipOptions>(silo.Configuration.GetSection("Hikyaku:Cluster:Membership"));
    }
}
