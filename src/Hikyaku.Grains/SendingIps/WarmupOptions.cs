using Hikyaku.Domain.Warmup;

namespace Hikyaku.Grains.SendingIps;

/// <summary>How sending IPs warm up toward each provider. Section <c>Delivery:Warmup</c>.</summary>
public sealed class WarmupOptions
{
    public const string SectionName = "Delivery:Warmup";

    private WarmupPlan? _plan;

    /// <summary>
    /// Whether an IP newly assigned to a tenant starts warming up at day 0 toward every provider. Default on for real
    /// delivery; off in the sandbox, whose simulated providers need no warm-up. An operator moving an established IP in
    /// says it is warm with <c>DELETE /v1/ips/{ip}/warmup</c>.
    /// </summary>
    public bool NewIps { get; set; } = true;

    /// <summary>
    /// A lane that reopens after a block that kept it away from its provider at least this long starts that provider's
    /// warm-up again at day 0. Default 7 days.
    /// </summary>
    public TimeSpan RestartAfterCooldown { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Daily caps by warm-up day for sites without a curve of their own, in place of the shipped default.</summary>
    public List<int>? Default { get; set; }

    /// <summary>Daily caps by warm-up day per provider site (<c>microsoft</c>, <c>google</c>...), each replacing its shipped curve.</summary>
    public Dictionary<string, List<int>> Curves { get; set; } = [];

    /// <summary>The shipped curves with these overrides in place.</summary>
    public WarmupPlan Plan => _plan ??= WarmupPlan.Shipped.With(Default, Curves);

    /// <summary>The problems with these values, in words for the operator; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (RestartAfterCooldown <= TimeSpan.Zero)
        {
            problems.Add($"Delivery:Warmup:RestartAfterCooldown must be positive (it is {RestartAfterCooldown})");
        }

        try
        {
            _ = Plan;
        }
        catch (FormatException e)
        {
            problems.Add("Delivery:Warmup: " + e.Message);
        }

        return problems;
    }
}
