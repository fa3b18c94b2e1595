using System.Text.Json;
using System.Xml;

namespace Hikyaku.Domain.Sites;

/// <summary>
/// Per provider site, how its replies are read as evidence of a block: how many sender-blocked replies within what window
/// block a lane, whether an unknown-user refusal after DATA is the recipient's filter, and which DNS block lists the provider
/// refuses mail by. Data (<c>block-rules.json</c>, each entry with its public source), overridable per site by configuration.
/// </summary>
public sealed class BlockRules
{
    private readonly BlockRuleData _default;
    private readonly IReadOnlyDictionary<string, BlockRuleData> _sites;

    private BlockRules(BlockRuleData @default, IReadOnlyDictionary<string, BlockRuleData> sites)
    {
        _default = @default;
        _sites = sites;
    }

    /// <summary>The embedded rules.</summary>
    public static BlockRules Default { get; } = LoadEmbedded();

    /// <summary>The sites the data names (those with anything of their own).</summary>
    public IEnumerable<string> Sites => _sites.Keys;

    /// <summary>The detector's rule for <paramref name="siteId"/>: the default with the site's own entries over it.</summary>
    public BlockRule For(string siteId)
    {
        var site = _sites.GetValueOrDefault(siteId);
        return new BlockRule
        {
            ExplicitHits = site?.ExplicitHits ?? _default.ExplicitHits ?? 1,
            ExplicitWindow = site?.ExplicitWindow ?? _default.ExplicitWindow ?? TimeSpan.FromMinutes(10),
            UnknownAfterDataIsFilter = site?.UnknownAfterDataIsFilter ?? _default.UnknownAfterDataIsFilter ?? false,
        };
    }

    /// <summary>The DNS block lists <paramref name="siteId"/> is known to refuse mail by.</summary>
    public IReadOnlyList<string> DnsblOf(string siteId) => _sites.GetValueOrDefault(siteId)?.Dnsbl ?? _default.Dnsbl ?? [];

    /// <summary>The sites known to refuse mail from IPs <paramref name="zone"/> lists.</summary>
    public IReadOnlyList<string> SitesUsing(string zone) =>
        _sites.Where(s => (s.Value.Dnsbl ?? []).Contains(zone, StringComparer.OrdinalIgnoreCase)).Select(s => s.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>These rules with <paramref name="overrides"/> (site → values; a null value keeps the data's) over them.</summary>
    public BlockRules With(IReadOnlyDictionary<string, BlockRuleData> overrides)
    {
        var sites = _sites.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        foreach (var (site, o) in overrides)
        {
            var mine = sites.GetValueOrDefault(site) ?? new BlockRuleData();
            sites[site] = new BlockRuleData
            {
                ExplicitHits = o.ExplicitHits ?? mine.ExplicitHits,
                ExplicitWindow = o.ExplicitWindow ?? mine.ExplicitWindow,
                UnknownAfterDataIsFilter = o.UnknownAfterDataIsFilter ?? mine.UnknownAfterDataIsFilter,
                Dnsbl = o.Dnsbl ?? mine.Dnsbl,
                Source = mine.Source,
            };
        }

        var rules = new BlockRules(_default, sites);
        rules.Check();
        return rules;
    }

    /// <summary>Parses rules in the shape of <c>block-rules.json</c>.</summary>
    public static BlockRules Parse(string json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var root = doc.RootElement;
        if (!root.TryGetProperty("default", out var def) || !root.TryGetProperty("providers", out var providers))
        {
            throw new FormatException("Block rules need 'default' and 'providers'.");
        }

        var rules = new BlockRules(
            Entry(def, "default", sourceRequired: true),
            providers.EnumerateObject().ToDictionary(p => p.Name, p => Entry(p.Value, p.Name, sourceRequired: true), StringComparer.Ordinal));
        rules.Check();
        return rules;
    }

    private void Check()
    {
        foreach (var (name, e) in _sites.Append(new("default", _default)))
        {
            if (e.ExplicitHits is < 1)
            {
                throw new FormatException($"Block rule '{name}': explicitHits must be at least 1 (it is {e.ExplicitHits}).");
            }

            if (e.ExplicitWindow is { } w && w <= TimeSpan.Zero)
            {
                throw new FormatException($"Block rule '{name}': explicitWindow must be positive (it is {w}).");
            }
        }
    }

    private static BlockRuleData Entry(JsonElement e, string name, bool sourceRequired)
    {
        var source = e.TryGetProperty("source", out var s) ? s.GetString() : null;
        if (sourceRequired && string.IsNullOrWhiteSpace(source))
        {
            throw new FormatException($"Block rule '{name}' names no source.");
        }

        return new BlockRuleData
        {
            ExplicitHits = e.TryGetProperty("explicitHits", out var hits) ? hits.GetInt32() : null,
            ExplicitWindow = e.TryGetProperty("explicitWindow", out var window) ? Duration(window.GetString(), name) : null,
            UnknownAfterDataIsFilter = e.TryGetProperty("unknownAfterDataIsFilter", out var filter) ? filter.GetBoolean() : null,
            Dnsbl = e.TryGetProperty("dnsbl", out var lists) ? lists.EnumerateArray().Select(l => l.GetString()!.Trim().ToLowerInvariant()).ToList() : null,
            Source = source,
        };
    }

    private static TimeSpan Duration(string? text, string name)
    {
        try
        {
            return XmlConvert.ToTimeSpan(text ?? string.Empty);
        }
        catch (FormatException)
        {
            throw new FormatException($"Block rule '{name}': explicitWindow '{text}' is not an ISO 8601 duration.");
        }
    }

    private static BlockRules LoadEmbedded() => Parse(EmbeddedData.Read("Sites/block-rules.json"));
}

/// <summary>One entry of the block rules (null: not said here, the default or the data applies). Also the configuration's shape.</summary>
public sealed record BlockRuleData
{
    public int? ExplicitHits { get; init; }

    public TimeSpan? ExplicitWindow { get; init; }

    public bool? UnknownAfterDataIsFilter { get; init; }

    public List<string>? Dnsbl { get; init; }

    public string? Source { get; init; }
}
