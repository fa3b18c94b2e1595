using System.Collections.Concurrent;
using Hikyaku.MxSim;

namespace Hikyaku.Silo.Delivery;

/// <summary>
/// The built-in simulated providers (<c>Delivery:Sandbox=true</c>, the embedded default): started with the host,
/// on loopback, so a newcomer's broadcast is really sent over SMTP without anything leaving the machine. An operator can make one of them block a
/// sending IP for a while (<see cref="Block"/>) to watch the block loop on one machine.
/// </summary>
public sealed class SandboxProviders(TimeProvider time) : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Provider, string Ip), SandboxBlock> _blocks = new();
    private MxSimHost? _host;

    public MxSimHost Host => _host ?? throw new InvalidOperationException("the sandbox providers have not started");

    public async Task StartAsync(CancellationToken cancellationToken) => _host = await MxSimHost.StartDefaultAsync(time);

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    /// <summary>
    /// Makes the simulated <paramref name="provider"/> refuse <paramref name="ip"/> (explicitly or in disguise) for
    /// <paramref name="duration"/>, then treat it normally again. A second block of the same pair replaces the first.
    /// </summary>
    public SandboxBlock Block(string provider, string ip, string mode, TimeSpan duration)
    {
        var simulated = Host[provider];
        var behaviour = mode == SandboxBlockModes.Explicit ? Behaviour.ExplicitBlock : Behaviour.DisguisedBlock;
        var block = new SandboxBlock(simulated.Name, ip, mode, time.GetUtcNow(), time.GetUtcNow() + duration);
        var key = (simulated.Name, ip);
        _blocks[key] = block;
        simulated.SetBehaviour(behaviour, ip);
        // One-shot: ends the block unless a newer one of the same pair replaced it meanwhile.
        ITimer? timer = null;
        timer = time.CreateTimer(_ =>
        {
            if (_blocks.TryRemove(new KeyValuePair<(string, string), SandboxBlock>(key, block)))
            {
                simulated.ClearBehaviour(ip);
            }

            timer?.Dispose();
        }, null, duration, Timeout.InfiniteTimeSpan);
        return block;
    }

    /// <summary>The sandbox blocks in force, soonest to end first.</summary>
    public IReadOnlyList<SandboxBlock> Blocks() => _blocks.Values.OrderBy(b => b.Until).ToList();

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
            _host = null;
        }
    }
}

/// <summary>A block a simulated provider shows toward one sending IP until <paramref name="Until"/>.</summary>
public sealed record SandboxBlock(string Provider, string Ip, string Mode, DateTimeOffset Since, DateTimeOffset Until);

/// <summary>How a sandbox block refuses: in so many words, or as "mailbox unavailable" for everyone.</summary>
public static class SandboxBlockModes
{
    public const string Explicit = "explicit";
    public const string Disguised = "disguised";
}
