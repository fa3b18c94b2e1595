using Hikyaku.Domain.Delivery;
using Hikyaku.Domain.Providers;

namespace Hikyaku.Grains.Delivery;

/// <summary>How lanes pace and retry. Section <c>Delivery:Lanes</c>.</summary>
public sealed class LaneOptions
{
    /// <summary>Messages handed to one SMTP connection at a time. Default 50.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Connections a lane keeps busy at once. Default 4.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>
    /// The pace a lane starts at, per minute, and the most it ever reaches (the throttle adapts below it to the
    /// provider's replies). Default 6000. A lane toward a provider in the catalog starts lower, at the catalog's
    /// per-IP default, when <see cref="ApplyProviderDefaults"/> is on.
    /// </summary>
    public double InitialRatePerMinute { get; set; } = 6000;

    /// <summary>
    /// Whether lanes toward a catalog provider start at its conservative per-IP limits (messages per minute,
    /// connections) and earn their way up to <see cref="InitialRatePerMinute"/> by successful batches. Default on
    /// for real delivery; off in the sandbox, whose simulated providers need no warm-up.
    /// </summary>
    public bool ApplyProviderDefaults { get; set; } = true;

    /// <summary>
    /// Delays between attempts of a deferred message; none set: 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h. Empty by default so
    /// that configured delays replace the default ones (the configuration binder adds to a list it finds filled).
    /// </summary>
    public List<TimeSpan> RetryDelays { get; set; } = [];

    /// <summary>When a deferred message is given up and bounces as expired. Default 3 days.</summary>
    public TimeSpan GiveUpAfter { get; set; } = RetrySchedule.Default.GiveUpAfter;

    /// <summary>The base of one-click unsubscribe URLs (RFC 8058), e.g. <c>https://mail.example.net/u/</c>.</summary>
    public string? UnsubscribeBaseUrl { get; set; }

    public RetrySchedule Schedule => new(RetryDelays.Count > 0 ? RetryDelays : RetrySchedule.Default.Delays, GiveUpAfter);

    /// <summary>The throttle a new lane toward <paramref name="siteId"/> starts with.</summary>
    public LaneThrottle StartingThrottle(string siteId, DateTimeOffset now)
    {
        var defaults = ApplyProviderDefaults ? ProviderCatalog.Default.FindById(siteId)?.Defaults : null;
        return defaults is null
            ? new LaneThrottle(InitialRatePerMinute, InitialRatePerMinute, Concurrency, now)
            : new LaneThrottle(Math.Min(defaults.MaxMessagesPerMinutePerIp, InitialRatePerMinute), InitialRatePerMinute, Math.Min(defaults.MaxConnectionsPerIp, Concurrency), now);
    }
}
