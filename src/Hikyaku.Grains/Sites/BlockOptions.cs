using Hikyaku.Domain.Sites;

namespace Hikyaku.Grains.Sites;

/// <summary>How long blocks may keep readers waiting, and which DNS blocklists are watched. Section <c>Blocks</c>.</summary>
public sealed class BlockOptions
{
    public const string SectionName = "Blocks";

    /// <summary>
    /// How long a reader may stay held for one message while every lane it could go out from is blocked; then the message
    /// ends for it as <c>held-expired</c> (never an error stop). Default 3 days.
    /// </summary>
    public TimeSpan MaxHold { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Time between probes of a lane whose cooldown has ended. Default 1 minute.</summary>
    public TimeSpan ProbeSpacing { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Probes the provider must accept before a probing lane opens again. Default 3.</summary>
    public int ProbeMessages { get; set; } = 3;

    /// <summary>The DNS block lists checked when none are configured.</summary>
    public static readonly IReadOnlyList<string> DefaultDnsblZones = ["zen.spamhaus.org", "bl.spamcop.net", "b.barracudacentral.org"];

    /// <summary>The DNS block lists each sending IP is checked on; <see cref="DefaultDnsblZones"/> when none are set.</summary>
    public List<string>? DnsblZones { get; set; }

    /// <summary>How often every sending IP is checked. Default one hour.</summary>
    public TimeSpan DnsblInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Which provider sites refuse mail from IPs a list lists (zone → site ids, e.g. <c>zen.spamhaus.org: [microsoft]</c>):
    /// while listed, the IP's lane toward those sites is blocked. A list no site is named for is only shown on the IP.
    /// </summary>
    public Dictionary<string, List<string>> DnsblSites { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> Zones => DnsblZones is { Count: > 0 } zones ? zones : DefaultDnsblZones;

    /// <summary>
    /// The sites known to use <paramref name="zone"/>: the configuration's <see cref="DnsblSites"/> entry for it when there is one,
    /// otherwise the block rules' data (Yahoo names Spamhaus in its own refusals).
    /// </summary>
    public IReadOnlyList<string> SitesUsing(string zone) => DnsblSites.TryGetValue(zone, out var sites) ? sites : Effective.SitesUsing(zone);

    /// <summary>
    /// Per site, what the configuration changes of the block rules' data (<c>block-rules.json</c>):
    /// <c>Blocks:Rules:{site}:ExplicitHits</c>, <c>ExplicitWindow</c>, <c>UnknownAfterDataIsFilter</c>, <c>Dnsbl</c>.
    /// </summary>
    public Dictionary<string, BlockRuleData> Rules { get; set; } = new(StringComparer.Ordinal);

    private BlockRules? _effective;

    /// <summary>The block rules in force: the data with <see cref="Rules"/> over it.</summary>
    public BlockRules Effective => _effective ??= Rules.Count == 0 ? BlockRules.Default : BlockRules.Default.With(Rules);

    /// <summary>The detector's rule for <paramref name="siteId"/>, with this section's probe pace.</summary>
    public BlockRule RuleFor(string siteId) => Effective.For(siteId) with { ProbeSpacing = ProbeSpacing, ProbeMessages = ProbeMessages };

    /// <summary>The problems with these values, in words for the operator; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxHold <= TimeSpan.Zero)
        {
            problems.Add($"Blocks:MaxHold must be positive (it is {MaxHold})");
        }

        if (ProbeSpacing < TimeSpan.Zero)
        {
            problems.Add($"Blocks:ProbeSpacing must not be negative (it is {ProbeSpacing})");
        }

        if (DnsblInterval <= TimeSpan.Zero)
        {
            problems.Add($"Blocks:DnsblInterval must be positive (it is {DnsblInterval})");
        }

        if (ProbeMessages < 1)
        {
            problems.Add($"Blocks:ProbeMessages must be at least 1 (it is {ProbeMessages})");
        }

        try
        {
            _ = Rules.Count == 0 ? BlockRules.Default : BlockRules.Default.With(Rules);
        }
        catch (FormatException e)
        {
            problems.Add($"Blocks:Rules: {e.Message}");
        }

        return problems;
    }
}
