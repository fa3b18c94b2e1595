using System.Net;
using Hikyaku.MxSim.Catalog;
using Hikyaku.MxSim.Journal;

namespace Hikyaku.MxSim;

/// <summary>
/// Runs several simulated providers with one shared <see cref="DeliveryJournal"/> and routes
/// recipient domains to them: the sandbox target of the embedded silo and of delivery tests.
/// </summary>
public sealed class MxSimHost : IAsyncDisposable
{
    readonly Dictionary<string, SimulatedProvider> _byName;
    readonly Dictionary<string, SimulatedProvider> _byDomain;

    MxSimHost(IReadOnlyList<SimulatedProvider> providers, DeliveryJournal journal)
    {
        Providers = providers;
        Journal = journal;
        _byName = providers.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _byDomain = new Dictionary<string, SimulatedProvider>(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in providers)
        foreach (var domain in provider.Domains)
        {
            if (!_byDomain.TryAdd(domain, provider))
                throw new ArgumentException($"Domain '{domain}' is served by both '{_byDomain[domain].Name}' and '{provider.Name}'.");
        }
    }

    /// <summary>The running providers.</summary>
    public IReadOnlyList<SimulatedProvider> Providers { get; }

    /// <summary>What every provider of this host accepted and refused.</summary>
    public DeliveryJournal Journal { get; }

    /// <summary>The provider named <paramref name="name"/>, e.g. <c>host["microsoft"]</c>.</summary>
    /// <exception cref="KeyNotFoundException">No provider of that name runs here.</exception>
    public SimulatedProvider this[string name] =>
        _byName.TryGetValue(name, out var provider) ? provider : throw new KeyNotFoundException($"No simulated provider '{name}' runs in this host.");

    /// <summary>Every served domain and the endpoint of its provider, for routing overrides (<c>Delivery:Routes</c>).</summary>
    public IReadOnlyDictionary<string, IPEndPoint> Routes => _byDomain.ToDictionary(kv => kv.Key, kv => kv.Value.Endpoint);

    /// <summary>
    /// Starts every profile of <paramref name="catalog"/> (the built-in one by default) on
    /// <paramref name="address"/> (127.0.0.1 by default), each on a free port, accepting every address.
    /// </summary>
    public static Task<MxSimHost> StartDefaultAsync(TimeProvider? time = null, IPAddress? address = null, ProviderCatalog? catalog = null)
    {
        catalog ??= ProviderCatalog.Default;
        var options = catalog.Profiles.Select(p => new ProviderOptions
        {
            Profile = p.Name,
            Listen = new IPEndPoint(address ?? IPAddress.Loopback, 0),
            AcceptAll = true,
        });
        return StartAsync(options, time, catalog);
    }

    /// <summary>Starts the providers described by <paramref name="providers"/>; on failure none is left running.</summary>
    public static async Task<MxSimHost> StartAsync(IEnumerable<ProviderOptions> providers, TimeProvider? time = null, ProviderCatalog? catalog = null)
    {
        catalog ??= ProviderCatalog.Default;
        var journal = new DeliveryJournal();
        var started = new List<SimulatedProvider>();
        try
        {
            foreach (var options in providers)
            {
                var provider = new SimulatedProvider(catalog[options.Profile], options, journal, time);
                started.Add(provider);
                await provider.StartAsync().ConfigureAwait(false);
            }
            return new MxSimHost(started, journal);
        }
        catch
        {
            foreach (var provider in started) await provider.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The endpoint of the provider serving <paramref name="domain"/>, or null when none does.</summary>
    public IPEndPoint? ResolveEndpoint(string domain) => ProviderFor(domain)?.Endpoint;

    /// <summary>The provider serving <paramref name="domain"/> (exact match, case-insensitive), or null.</summary>
    public SimulatedProvider? ProviderFor(string domain) =>
        _byDomain.TryGetValue(domain.Trim().TrimEnd('.'), out var provider) ? provider : null;

    /// <summary>Stops every provider.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var provider in Providers) await provider.DisposeAsync().ConfigureAwait(false);
    }
}
