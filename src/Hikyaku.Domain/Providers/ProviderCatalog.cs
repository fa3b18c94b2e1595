using System.Text.Json;
using System.Xml;

namespace Hikyaku.Domain.Providers;

/// <summary>
/// The built-in catalog of big mailbox providers (Microsoft, Google, Yahoo, Apple, the Japanese
/// carriers…), read from the embedded <c>providers.json</c>: their domains, MX host patterns,
/// delisting forms, default limits and the postmaster page each comes from.
/// </summary>
public sealed class ProviderCatalog
{
    private static readonly Lazy<ProviderCatalog> LazyDefault = new(LoadEmbedded);
    private readonly Dictionary<string, Provider> _byDomain;

    /// <summary>Builds a catalog from providers; a domain may belong to one provider only.</summary>
    public ProviderCatalog(IEnumerable<Provider> providers)
    {
        Providers = providers.ToArray();
        _byDomain = new Dictionary<string, Provider>(StringComparer.Ordinal);
        foreach (var provider in Providers)
        {
            foreach (var domain in provider.Domains)
            {
                if (!_byDomain.TryAdd(HostName.Normalize(domain), provider))
                {
                    throw new InvalidOperationException($"Domain '{domain}' is listed by two providers.");
                }
            }
        }
    }

    /// <summary>The catalog shipped with Hikyaku, loaded once.</summary>
    public static ProviderCatalog Default => LazyDefault.Value;

    /// <summary>All providers, in file order.</summary>
    public IReadOnlyList<Provider> Providers { get; }

    /// <summary>The provider with this id (which is also its site id), if any.</summary>
    public Provider? FindById(string id) => Providers.FirstOrDefault(p => p.Id == id);

    /// <summary>The provider known to host <paramref name="domain"/>, if any.</summary>
    public Provider? FindByDomain(string domain) =>
        _byDomain.GetValueOrDefault(HostName.Normalize(domain));

    /// <summary>The provider whose MX patterns match <paramref name="hostName"/>, if any.</summary>
    public Provider? FindByMxHost(string hostName) =>
        Providers.FirstOrDefault(p => p.OwnsMxHost(hostName));

    /// <summary>Parses catalog JSON in the shape of <c>providers.json</c>.</summary>
    public static ProviderCatalog Parse(string json)
    {
        var file = JsonSerializer.Deserialize<CatalogFile>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new FormatException("Provider catalog is empty.");
        return new ProviderCatalog(file.Providers.Select(ToProvider));
    }

    private static ProviderCatalog LoadEmbedded() => Parse(EmbeddedData.Read("Providers/providers.json"));

    private static Provider ToProvider(ProviderEntry e) => new(
        e.Id,
        e.Name,
        e.Domains.Select(HostName.Normalize).ToArray(),
        e.MxPatterns.Select(p => new MxHostPattern(p)).ToArray(),
        e.ExampleMxHosts,
        e.DelistUrl is null ? null : new Uri(e.DelistUrl),
        // ISO-8601 durations ("PT24H") are what the file holds; System.Text.Json's TimeSpan does not read them.
        new ProviderDefaults(XmlConvert.ToTimeSpan(e.Defaults.Cooldown), e.Defaults.MaxConnectionsPerIp, e.Defaults.MaxMessagesPerMinutePerIp),
        new Uri(e.Source));

    private sealed record CatalogFile(ProviderEntry[] Providers);

    private sealed record ProviderEntry(
        string Id, string Name, string[] Domains, string[] MxPatterns, string[] ExampleMxHosts,
        string? DelistUrl, DefaultsEntry Defaults, string Source);

    private sealed record DefaultsEntry(string Cooldown, int MaxConnectionsPerIp, int MaxMessagesPerMinutePerIp);
}
