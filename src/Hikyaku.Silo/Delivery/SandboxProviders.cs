using Hikyaku.MxSim;

namespace Hikyaku.Silo.Delivery;

/// <summary>
/// The built-in simulated providers (<c>Delivery:Sandbox=true</c>, the embedded default): started with the host,
/// on loopback, so a newcomer's broadcast is really sent over SMTP without anything leaving the machine.
/// </summary>
public sealed class SandboxProviders(TimeProvider time) : IHostedService, IAsyncDisposable
{
    private MxSimHost? _host;

    public MxSimHost Host => _host ?? throw new InvalidOperationException("the sandbox providers have not started");

    public async Task StartAsync(CancellationToken cancellationToken) => _host = await MxSimHost.StartDefaultAsync(time);

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
            _host = null;
        }
    }
}
