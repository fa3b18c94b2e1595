using System.Net;
using Hikyaku.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;

namespace Hikyaku.Hosting.Tests;

/// <summary>A silo in a plain generic host, as Hikyaku.Silo runs it, so a test can stop it and start a new one.</summary>
internal sealed class TestSilo(IHost host, int siloPort) : IAsyncDisposable
{
    public int SiloPort { get; } = siloPort;

    public IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => host.Services;

    public static async Task<TestSilo> StartAsync(Action<ISiloBuilder> configure)
    {
        var siloPort = TempPostgres.FreeLoopbackPort();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, TempPostgres.FreeLoopbackPort());
            // Reminders every few seconds instead of the production minimum of one minute.
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            configure(silo);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host, siloPort);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
