using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace Hikyaku.Hosting.Tests;

public sealed class KubernetesHostingTests
{
    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void The_pod_watching_agent_is_added_only_inside_a_pod(bool inPod, bool expectAgent)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo => silo.UseKubernetesHostingWhen(inPod));

        var hasAgent = builder.Services.Any(d =>
            d.ServiceType == typeof(ILifecycleParticipant<ISiloLifecycle>)
            && d.ImplementationType?.FullName == "Orleans.Hosting.Kubernetes.KubernetesClusterAgent");

        Assert.Equal(expectAgent, hasAgent);
    }
}
