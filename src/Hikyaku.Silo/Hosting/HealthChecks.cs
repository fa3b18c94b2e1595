using Hikyaku.EventStore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace Hikyaku.Silo.Hosting;

/// <summary>Ready only when the silo is active in its cluster and the event store answers.</summary>
public sealed class ReadinessCheck(IEventStore store, ISiloStatusOracle silos) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (silos.CurrentStatus != SiloStatus.Active)
        {
            return HealthCheckResult.Unhealthy($"silo is {silos.CurrentStatus}");
        }

        try
        {
            await store.GetStreamVersionAsync("health:probe", cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("event store does not answer", e);
        }
    }
}
