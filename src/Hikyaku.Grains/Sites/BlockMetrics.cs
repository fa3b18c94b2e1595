using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Grains.Sites;

/// <summary>
/// What the block loop counts, on the meter <see cref="MeterName"/>: blocks found (by provider and kind), probes and their
/// outcome, lifts, readers held and restored, and the lanes of the sites active on this silo by state.
/// <c>dotnet-counters monitor -n Hikyaku.Silo --counters Hikyaku.Blocks</c> shows them; an OpenTelemetry exporter picks
/// them up by the meter name.
/// </summary>
public sealed class BlockMetrics : IDisposable
{
    public const string MeterName = "Hikyaku.Blocks";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _blocks;
    private readonly Counter<long> _probes;
    private readonly Counter<long> _lifts;
    private readonly Counter<long> _held;
    private readonly Counter<long> _restored;
    private readonly ConcurrentDictionary<(string Site, string Ip), string> _lanes = new();

    public BlockMetrics()
    {
        _blocks = _meter.CreateCounter<long>("hikyaku.blocks.detected", "{block}", "Blocks found, by provider (site) and kind (explicit, disguised, dnsbl).");
        _probes = _meter.CreateCounter<long>("hikyaku.blocks.probes", "{probe}", "Probing lanes' outcomes, by provider: started, failed (the block is still there), reopened.");
        _lifts = _meter.CreateCounter<long>("hikyaku.blocks.lifted", "{block}", "Blocks an operator lifted, by provider.");
        _held = _meter.CreateCounter<long>("hikyaku.readers.held", "{reader}", "Readers a block held instead of error-stopping them (taken-back error stops included), by provider.");
        _restored = _meter.CreateCounter<long>("hikyaku.readers.restored", "{reader}", "Readers made active again by an incident undo, by provider.");
        _meter.CreateObservableGauge("hikyaku.lanes", ObserveLanes, "{lane}", "Lanes of the provider sites active on this silo that were ever blocked, by provider and state (blocked, probing, open).");
    }

    /// <summary>
    /// Counts what <paramref name="events"/> of <paramref name="site"/> say, and keeps its lanes' states for the gauge;
    /// <paramref name="ipOf"/> names the sending IP of a block.
    /// </summary>
    public void Observe(string site, IEnumerable<SiteEvent> events, Func<string, string?> ipOf)
    {
        var provider = new KeyValuePair<string, object?>("provider", site);
        foreach (var e in events)
        {
            switch (e)
            {
                case LaneBlocked b:
                    _blocks.Add(1, provider, new("kind", b.Kind));
                    _lanes[(site, b.SourceIp)] = LaneStates.Blocked;
                    break;
                case LaneProbing p:
                    Set(site, ipOf(p.BlockId), LaneStates.Probing);
                    _probes.Add(1, provider, new("outcome", "started"));
                    if (p.By != "cooldown")
                    {
                        _lifts.Add(1, provider);
                    }

                    break;
                case LaneProbeFailed f:
                    Set(site, ipOf(f.BlockId), LaneStates.Blocked);
                    _probes.Add(1, provider, new("outcome", "failed"));
                    break;
                case LaneReopened o:
                    Set(site, ipOf(o.BlockId), LaneStates.Open);
                    _probes.Add(1, provider, new("outcome", "reopened"));
                    break;
                case BlockReadersTouched t:
                    _held.Add(t.Held.Count + t.ErrorStoppedThenHeld.Count, provider);
                    break;
                case BlockReadersRestored r:
                    _restored.Add(r.Readers.Count, provider);
                    break;
            }
        }
    }

    private void Set(string site, string? ip, string state)
    {
        if (ip is not null)
        {
            _lanes[(site, ip)] = state;
        }
    }

    /// <summary>The site's grain left this silo: its lanes are counted where it is active next.</summary>
    public void Forget(string site)
    {
        foreach (var key in _lanes.Keys.Where(k => k.Site == site).ToList())
        {
            _lanes.TryRemove(key, out _);
        }
    }

    /// <summary>The site's lanes that were ever blocked, as its grain loaded them.</summary>
    public void Loaded(string site, IEnumerable<(string Ip, string State)> lanes)
    {
        foreach (var (ip, state) in lanes)
        {
            _lanes[(site, ip)] = state;
        }
    }

    private IEnumerable<Measurement<int>> ObserveLanes() =>
        _lanes.GroupBy(l => (l.Key.Site, l.Value))
            .Select(g => new Measurement<int>(g.Count(), new("provider", g.Key.Site), new("state", g.Key.Value)));

    public void Dispose() => _meter.Dispose();
}
