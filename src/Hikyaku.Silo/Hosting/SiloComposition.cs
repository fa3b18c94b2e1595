using Orleans.Dashboard;
using System.Net;
using Hikyaku.Grains.Storage;
using Hikyaku.Hosting;
using Hikyaku.Silo.Faults;
using Orleans.Configuration;

namespace Hikyaku.Silo.Hosting;

/// <summary>The Orleans side of the host: the embedded default, or a PostgreSQL-backed cluster.</summary>
public static class SiloComposition
{
    public static void ConfigureSilo(this ISiloBuilder silo, HikyakuOptions options, string? postgres)
    {
        silo.AddCustomStorageBasedLogConsistencyProvider(EventSourcedGrain<Domain.Readers.ReaderState, Contracts.Events.ReaderEvent>.ProviderName);
        silo.AddDashboard();
        silo.AddOutgoingGrainCallFilter<ApiDeadlineFilters>();
        silo.AddIncomingGrainCallFilter<ApiDeadlineFilters>();
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

        // Failure detection: Hikyaku's defaults declare a killed silo dead within seconds (Orleans' own take tens of
        // seconds); any of them can be set under Hikyaku:Cluster:Membership (ProbeTimeout, NumMissedProbesLimit, ...).
        silo.Configure<ClusterMembershipOptions>(HikyakuMembership.ApplyDefaults);
        silo.Configure<ClusterMembershipOptions>(silo.Configuration.GetSection("Hikyaku:Cluster:Membership"));
    }
}
