namespace Hikyaku.Domain.Warmup;

/// <summary>
/// Where one sending IP stands in its warm-up toward one provider site. The warm-up day advances by each UTC calendar day
/// on which the IP sent there: a day without sends does not count, and today's sends count from tomorrow.
/// </summary>
[GenerateSerializer]
public sealed class WarmupPosition
{
    /// <summary>The warm-up day the IP (re)started at.</summary>
    [Id(0)] public int StartDay { get; set; }

    [Id(1)] public DateTimeOffset StartedAt { get; set; }

    /// <summary>Days with sends since the start, before <see cref="LastSentOn"/>.</summary>
    [Id(2)] public int DaysSent { get; set; }

    /// <summary>The newest UTC day the IP sent to the site since the start.</summary>
    [Id(3)] public DateOnly? LastSentOn { get; set; }

    /// <summary>Messages the site accepted on <see cref="LastSentOn"/>.</summary>
    [Id(4)] public int SentOnLast { get; set; }

    /// <summary>An operator said the IP is warm toward this site (it does not follow the IP-wide warm-up).</summary>
    [Id(5)] public bool Warm { get; set; }

    public static WarmupPosition Start(int day, DateTimeOffset at) => new() { StartDay = day, StartedAt = at };

    /// <summary>The warm-up day on <paramref name="today"/> (UTC).</summary>
    public int DayOn(DateOnly today) => StartDay + DaysSent + (LastSentOn is { } last && last < today ? 1 : 0);

    /// <summary>Messages accepted on <paramref name="today"/>.</summary>
    public int SentOn(DateOnly today) => LastSentOn == today ? SentOnLast : 0;

    /// <summary>
    /// Adds <paramref name="count"/> messages accepted on <paramref name="day"/>. A count for a day before the newest one
    /// (a late batch across midnight) adds nothing: that day was already counted as a day with sends, or is in the past.
    /// </summary>
    public void Count(DateOnly day, int count)
    {
        if (LastSentOn == day)
        {
            SentOnLast += count;
        }
        else if (LastSentOn is null || day > LastSentOn)
        {
            DaysSent += LastSentOn is null ? 0 : 1;
            LastSentOn = day;
            SentOnLast = count;
        }
    }
}
