using Orleans.Hosting;

namespace Hikyaku.Hosting;

/// <summary>Kubernetes awareness for a clustered silo.</summary>
public static class HikyakuKubernetesExtensions
{
    /// <summary>Set by the kubelet in every pod; absent elsewhere.</summary>
    public const string InPodVariable = "KUBERNETES_SERVICE_HOST";

    /// <summary>
    /// Inside a Kubernetes pod, adds Microsoft.Orleans.Hosting.Kubernetes: the silo watches its cluster's pods (the
    /// <c>orleans/clusterId</c> label) and declares silos of deleted pods dead at once instead of after missed probes;
    /// silo name and, if none is configured, advertised address come from <c>POD_NAME</c> / <c>POD_IP</c>, and
    /// <c>ORLEANS_CLUSTER_ID</c> / <c>ORLEANS_SERVICE_ID</c> override <see cref="Orleans.Configuration.ClusterOptions"/>.
    /// Needs the pod RBAC in <c>deploy/k8s/rbac.yaml</c>. Outside a pod it does nothing, because the agent would fail
    /// without the in-cluster API credentials (KubernetesHostingOptions.GetClientConfiguration = InClusterConfig).
    /// </summary>
    /// <param name="silo">The silo builder.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder UseKubernetesHostingWhenInPod(this ISiloBuilder silo) =>
        silo.UseKubernetesHostingWhen(!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(InPodVariable)));

    internal static ISiloBuilder UseKubernetesHostingWhen(this ISiloBuilder silo, bool inPod) =>
        inPod ? silo.UseKubernetesHosting() : silo;
}
