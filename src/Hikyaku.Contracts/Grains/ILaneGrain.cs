using Orleans.Concurrency;
using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Contracts.Grains;

/// <summary>
/// A lane: one sending IP toward one provider site. It paces the site's messages from that IP, hands batches
/// to SMTP workers, and sends outcomes back. Key: <c>{siteId}/{sourceIp}</c>.
/// </summary>
[Alias("hikyaku.ILaneGrain")]
public interface ILaneGrain : IGrainWithStringKey
{
    [Alias("Enqueue")]
    Task Enqueue(IReadOnlyList<DeliveryItem> items);

    /// <summary>
    /// The site's word that this lane has turned to probing (a cooldown ended, an operator lifted the block): it looks at its
    /// gate now, even with nothing queued, so a probe to the tenant's seed address can go. One-way: the site never waits.
    /// </summary>
    [Alias("Wake"), OneWay]
    Task Wake();

    [Alias("GetView")]
    Task<LaneView> GetView();
}

[GenerateSerializer, Immutable, Alias("hikyaku.lane-view")]
public sealed record LaneView(
    [property: Id(0)] string SourceIp,
    [property: Id(1)] string Site,
    [property: Id(2)] string State,
    [property: Id(3)] double RatePerMinute,
    [property: Id(4)] int Concurrency,
    [property: Id(5)] int Queued,
    [property: Id(6)] DateTimeOffset? BlockedUntil,
    [property: Id(7)] IReadOnlyList<ReplyRecord> LastReplies);
