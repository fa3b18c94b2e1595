using System.Text.Json;

namespace Hikyaku.Domain.Warmup;

/// <summary>
/// A warm-up curve toward one provider site: the most messages a warming IP may have accepted there on each warm-up day
/// (day 0 first). From the day after the last the IP is warm there: no cap.
/// </summary>
/// <param name="DailyCaps">The cap of each warm-up day; every cap is positive.</param>
/// <param name="Source">The public guidance the numbers follow, or that they are an approximation.</param>
public sealed record WarmupCurve(IReadOnlyList<int> DailyCaps, string Source)
{
    /// <summary>The number of warm-up days: on day <see cref="Days"/> the IP is warm.</summary>
    public int Days => DailyCaps.Count;

    /// <summary>The cap on warm-up day <paramref name="day"/>; null once the curve is over (warm).</summary>
    public int? CapOn(int day) => day >= 0 && day < DailyCaps.Count ? DailyCaps[day] : null;
}

/// <summary>
/// The warm-up curves of every provider site, read from the embedded <c>warmup.json</c> (a default curve for sites outside
/// the catalog, one per catalog provider, each citing its <c>source</c>) and overridable by configuration.
/// </summary>
public sealed class WarmupPlan
{
    private static readonly Lazy<WarmupPlan> LazyDefault = new(LoadEmbedded);
    private readonly Dictionary<string, WarmupCurve> _byProvider;

    public WarmupPlan(WarmupCurve @default, IReadOnlyDictionary<string, WarmupCurve> providers)
    {
        Check("default", @default.DailyCaps);
        foreach (var (id, curve) in providers)
        {
            Check(id, curve.DailyCaps);
        }

        Default = @default;
        _byProvider = new Dictionary<string, WarmupCurve>(providers, StringComparer.Ordinal);
    }

    /// <summary>The curves shipped with Hikyaku, loaded once.</summary>
    public static WarmupPlan Shipped => LazyDefault.Value;

    /// <summary>The curve of a site that has none of its own.</summary>
    public WarmupCurve Default { get; }

    /// <summary>The providers with a curve of their own.</summary>
    public IReadOnlyDictionary<string, WarmupCurve> Providers => _byProvider;

    /// <summary>The curve toward <paramref name="siteId"/>: its own, else <see cref="Default"/>.</summary>
    public WarmupCurve For(string siteId) => _byProvider.GetValueOrDefault(siteId) ?? Default;

    /// <summary>
    /// This plan with an operator's curves in place of the shipped ones: <paramref name="defaultCaps"/> for the default (when
    /// given) and each of <paramref name="providerCaps"/> for its provider, each marked as configured.
    /// </summary>
    public WarmupPlan With(IReadOnlyList<int>? defaultCaps, IReadOnlyDictionary<string, List<int>>? providerCaps)
    {
        var providers = new Dictionary<string, WarmupCurve>(_byProvider, StringComparer.Ordinal);
        foreach (var (id, caps) in providerCaps ?? new Dictionary<string, List<int>>())
        {
            providers[id] = new WarmupCurve([.. caps], $"configured: Delivery:Warmup:Curves:{id}");
        }

        var fallback = defaultCaps is { Count: > 0 } ? new WarmupCurve([.. defaultCaps], "configured: Delivery:Warmup:Default") : Default;
        return new WarmupPlan(fallback, providers);
    }

    /// <summary>Parses curves in the shape of <c>warmup.json</c>.</summary>
    public static WarmupPlan Parse(string json)
    {
        var file = JsonSerializer.Deserialize<PlanFile>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new FormatException("The warm-up plan is empty.");
        var providers = new Dictionary<string, WarmupCurve>(StringComparer.Ordinal);
        foreach (var p in file.Providers)
        {
            if (!providers.TryAdd(p.Id, new WarmupCurve(p.Caps, p.Source)))
            {
                throw new FormatException($"The warm-up plan lists '{p.Id}' twice.");
            }
        }

        return new WarmupPlan(new WarmupCurve(file.Default.Caps, file.Default.Source), providers);
    }

    private static void Check(string id, IReadOnlyList<int> caps)
    {
        if (caps.Count == 0 || caps.Any(c => c <= 0))
        {
            throw new FormatException($"The warm-up curve of '{id}' must list at least one day, and every cap must be positive.");
        }
    }

    private static WarmupPlan LoadEmbedded() => Parse(EmbeddedData.Read("Warmup/warmup.json"));

    private sealed record PlanFile(CurveEntry Default, ProviderCurveEntry[] Providers);

    private sealed record CurveEntry(int[] Caps, string Source);

    private sealed record ProviderCurveEntry(string Id, int[] Caps, string Source);
}
