namespace Hikyaku.Domain.Delivery;

/// <summary>
/// When to try a deferred message again. Growing delays, as MTAs do (RFC 5321 §4.5.4.1 asks for at least 30
/// minutes between tries in general; greylisting and rate limits are better served by a first retry after a few
/// minutes); the message is given up after <see cref="GiveUpAfter"/> and bounces as expired.
/// </summary>
public sealed record RetrySchedule(IReadOnlyList<TimeSpan> Delays, TimeSpan GiveUpAfter)
{
    public static RetrySchedule Default { get; } = new(
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4)],
        TimeSpan.FromDays(3));

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1 (0-based attempts), the last delay repeating.</summary>
    public TimeSpan DelayAfter(int attempt) => Delays[Math.Min(attempt, Delays.Count - 1)];

    /// <summary>How many attempts fit before giving up.</summary>
    public int MaxAttempts
    {
        get
        {
            var total = TimeSpan.Zero;
            var attempts = 1;
            while (total + DelayAfter(attempts - 1) <= GiveUpAfter)
            {
                total += DelayAfter(attempts - 1);
                attempts++;
            }

            return attempts;
        }
    }
}
