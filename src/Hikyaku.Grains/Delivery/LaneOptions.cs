using Hikyaku.Domain.Delivery;

namespace Hikyaku.Grains.Delivery;

/// <summary>How lanes pace and retry. Section <c>Delivery:Lanes</c>.</summary>
public sealed class LaneOptions
{
    /// <summary>Messages handed to one SMTP connection at a time. Default 50.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Connections a lane keeps busy at once. Default 4.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>
    /// The pace every lane starts at, per minute (then adapted to the provider's replies). Default 6000.
    /// The provider catalog's per-IP defaults are not applied yet: set this low for a fresh IP's warm-up.
    /// </summary>
    public double InitialRatePerMinute { get; set; } = 6000;

    /// <summary>Delays between attempts of a deferred message. Default 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h.</summary>
    public List<TimeSpan> RetryDelays { get; set; } = [.. RetrySchedule.Default.Delays];

    /// <summary>When a deferred message is given up and bounces as expired. Default 3 days.</summary>
    public TimeSpan GiveUpAfter { get; set; } = RetrySchedule.Default.GiveUpAfter;

    /// <summary>The base of one-click unsubscribe URLs (RFC 8058), e.g. <c>https://mail.example.net/u/</c>.</summary>
    public string? UnsubscribeBaseUrl { get; set; }

    public RetrySchedule Schedule => new(RetryDelays, GiveUpAfter);
}
