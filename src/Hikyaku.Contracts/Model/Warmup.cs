namespace Hikyaku.Contracts.Model;

/// <summary>A sending IP's warm-up toward one provider site today (UTC).</summary>
/// <param name="Provider">The site id (<c>microsoft</c>), as lanes and blocks name it.</param>
/// <param name="Day">The warm-up day, 0 first; at or past the curve's length the IP is warm there.</param>
/// <param name="CapToday">The most messages the site may accept from the IP today; null when warm (no cap).</param>
/// <param name="SentToday">Messages the site accepted from the IP today.</param>
/// <param name="Today">The UTC day these figures are for.</param>
/// <param name="StartedAt">When this warm-up started; null when the IP is not warming toward the site.</param>
[GenerateSerializer, Immutable, Alias("hikyaku.warmup-status")]
public sealed record WarmupStatus(
    [property: Id(0)] string Provider,
    [property: Id(1)] int Day,
    [property: Id(2)] int? CapToday,
    [property: Id(3)] int SentToday,
    [property: Id(4)] DateOnly Today,
    [property: Id(5)] DateTimeOffset? StartedAt)
{
    public bool Warming => CapToday is not null;

    /// <summary>How many more messages may go today.</summary>
    public int Room => CapToday is { } cap ? Math.Max(0, cap - SentToday) : int.MaxValue;

    public static WarmupStatus WarmToward(string provider, DateOnly today) => new(provider, 0, null, 0, today, null);
}

/// <summary>A sending IP's warm-up: <c>warming</c> while any provider has a cap, else <c>warm</c>; one entry per provider it follows.</summary>
[GenerateSerializer, Immutable, Alias("hikyaku.warmup-view")]
public sealed record WarmupView(
    [property: Id(0)] string State,
    [property: Id(1)] IReadOnlyList<WarmupStatus> Providers)
{
    public const string Warming = "warming";
    public const string Warm = "warm";
}
