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

        if (ProbeMessages < 1)
        {
            problems.Add($"Blocks:ProbeMessages must be at least 1 (it is {ProbeMessages})");
        }

        return problems;
    }
}
