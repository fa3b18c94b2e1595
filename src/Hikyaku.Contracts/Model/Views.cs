namespace Hikyaku.Contracts.Model;

/// <param name="Complaints">Complaints (ARF feedback reports) from the tenant's readers so far.</param>
[GenerateSerializer, Alias("hikyaku.tenant-view")]
public sealed record TenantView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<string> Ips,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] int Complaints = 0);

/// <param name="ApiKey">Shown once, at creation; only its hash is stored.</param>
[GenerateSerializer, Alias("hikyaku.tenant-created")]
public sealed record TenantCreatedView([property: Id(0)] string Id, [property: Id(1)] string Name, [property: Id(2)] string ApiKey);

[GenerateSerializer, Alias("hikyaku.magazine-view")]
public sealed record MagazineView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string FromAddress,
    [property: Id(3)] string? FromName,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] string CatchUp = CatchUpPolicies.SendAllMissed);

[GenerateSerializer, Immutable, Alias("hikyaku.subscriber-view")]
public sealed record SubscriberView(
    [property: Id(0)] string Email,
    [property: Id(1)] string Status,
    [property: Id(2)] string? StatusReason,
    [property: Id(3)] DateTimeOffset SubscribedAt,
    [property: Id(4)] int StepPosition,
    [property: Id(5)] string? Name,
    [property: Id(6)] IReadOnlyDictionary<string, string> Fields,
    [property: Id(7)] string? StepLast = null,
    [property: Id(8)] string? StepNext = null,
    [property: Id(9)] DateTimeOffset? StepNextAt = null);

/// <param name="Data">The event's stored JSON.</param>
[GenerateSerializer, Alias("hikyaku.history-entry")]
public sealed record HistoryEntry([property: Id(0)] int Version, [property: Id(1)] string Type, [property: Id(2)] DateTimeOffset At, [property: Id(3)] string Data);

/// <param name="SentToday">Messages receiving servers accepted from this IP today (UTC).</param>
/// <param name="Daily">The recent days with sends, newest first.</param>
/// <param name="Warmup">Its warm-up toward each provider it follows a curve toward.</param>
[GenerateSerializer, Alias("hikyaku.sending-ip-view")]
public sealed record SendingIpView(
    [property: Id(0)] string Ip,
    [property: Id(1)] string? TenantId,
    [property: Id(2)] DateTimeOffset? AssignedAt,
    [property: Id(3)] int SentToday = 0,
    [property: Id(4)] IReadOnlyList<DailySent>? Daily = null,
    [property: Id(5)] IReadOnlyList<DnsblListing>? Dnsbl = null,
    [property: Id(6)] WarmupView? Warmup = null);

/// <summary>Messages accepted from one sending IP on one UTC day.</summary>
[GenerateSerializer, Immutable, Alias("hikyaku.daily-sent")]
public sealed record DailySent([property: Id(0)] DateOnly Date, [property: Id(1)] int Sent);

/// <summary>
/// An import's counters. <see cref="Rejected"/> holds only the first <see cref="ImportProgress.FirstRejections"/> refused
/// lines (by line); <see cref="RejectedCount"/> counts them all, and the whole list is paged separately.
/// Once finished, <c>Total = Imported + Duplicates + RejectedCount</c>.
/// </summary>
[GenerateSerializer, Alias("hikyaku.import-progress")]
public sealed record ImportProgress(
    [property: Id(0)] string Id,
    [property: Id(1)] string MagazineId,
    [property: Id(2)] string State,
    [property: Id(3)] int Total,
    [property: Id(4)] int Imported,
    [property: Id(5)] int Duplicates,
    [property: Id(6)] IReadOnlyList<Events.ImportRejection> Rejected,
    [property: Id(7)] int RejectedCount)
{
    public const int FirstRejections = 100;
}

/// <summary>A page of an import's refused lines, by line; <see cref="NextAfterLine"/> is null on the last page.</summary>
[GenerateSerializer, Alias("hikyaku.import-rejection-page")]
public sealed record ImportRejectionPage(
    [property: Id(0)] IReadOnlyList<Events.ImportRejection> Items,
    [property: Id(1)] int? NextAfterLine);
