using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Contracts.Grains;

/// <summary>
/// A broadcast (一斉送信 / 号外): its content, audience and counters. It fixes its audience when sending starts,
/// hands pages of readers to the lanes, and resumes where it stopped after a crash. Key: <c>{tenantId}/{broadcastId}</c>.
/// </summary>
[Alias("hikyaku.IBroadcastGrain")]
public interface IBroadcastGrain : IGrainWithStringKey
{
    [Alias("Create")]
    Task<Outcome<BroadcastView>> Create(string magazineId, string subject, string textBody, string? htmlBody, DateTimeOffset? sendAt);

    [Alias("Get")]
    Task<BroadcastView?> Get();

    [Alias("GetContent")]
    Task<MailContentView?> GetContent();

    /// <summary>The silo this broadcast is active on (diagnostics: the dashboard shows the same).</summary>
    [Alias("GetSilo")]
    Task<string> GetSilo();

    /// <summary>Outcomes of readers from a lane; a reader's final result is counted once.</summary>
    [Alias("RecordResults")]
    Task RecordResults(IReadOnlyList<RecipientResult> results);
}

/// <summary>
/// A lane: one sending IP toward one provider site. It paces the site's messages from that IP, hands batches
/// to SMTP workers, and sends outcomes back. Key: <c>{siteId}/{sourceIp}</c>.
/// </summary>
[Alias("hikyaku.ILaneGrain")]
public interface ILaneGrain : IGrainWithStringKey
{
    [Alias("Enqueue")]
    Task Enqueue(IReadOnlyList<DeliveryItem> items);

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
