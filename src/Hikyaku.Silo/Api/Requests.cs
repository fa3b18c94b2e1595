using Hikyaku.Contracts.Model;

namespace Hikyaku.Silo.Api;

public sealed record CreateTenantRequest(string? Id, string? Name);

public sealed record SetIpsRequest(List<string>? Ips);

public sealed record CreateMagazineRequest(string? Id, string? Name, string? FromAddress, string? FromName = null);

public sealed record AddSubscriberRequest(string? Email, string? Name = null, Dictionary<string, string>? Fields = null);

public sealed record TenantCreatedResponse(string Id, string Name, string ApiKey);

public sealed record TenantIpsResponse(string TenantId, IReadOnlyList<string> Ips);

/// <param name="SentToday">Messages receiving servers accepted from this IP today (UTC).</param>
/// <param name="Daily">Recent days with sends, newest first: <c>{date, sent}</c>.</param>
/// <param name="Cooldowns">The providers blocking this IP now: the block, its kind and state, and until when it cools down.</param>
/// <param name="Dnsbl">The DNS block lists listing this IP at the last check, with the list's lookup/delisting page.</param>
/// <param name="Warmup">Its warm-up: <c>warming</c> or <c>warm</c>, and per provider the day, today's cap and what was sent today.</param>
public sealed record SendingIpResponse(string Ip, string? TenantId, DateTimeOffset? AssignedAt, IReadOnlyList<IpCooldown> Cooldowns, IReadOnlyList<IpDnsblListing> Dnsbl, IpWarmupResponse Warmup, int SentToday, IReadOnlyList<Contracts.Model.DailySent> Daily);

/// <param name="Day">The warm-up day to start at (default 0).</param>
/// <param name="Provider">A provider site id (<c>microsoft</c>); none: every provider.</param>
public sealed record StartWarmupRequest(int? Day, string? Provider);

/// <summary>A sending IP's warm-up: <c>warming</c> while any provider caps it today, else <c>warm</c>.</summary>
public sealed record IpWarmupResponse(string State, IReadOnlyList<IpWarmupProvider> Providers)
{
    public static IpWarmupResponse From(Contracts.Model.WarmupView? view) => view is null
        ? new(Contracts.Model.WarmupView.Warm, [])
        : new(view.State, view.Providers.Select(p => new IpWarmupProvider(p.Provider, p.Day, p.CapToday, p.SentToday, p.StartedAt)).ToList());
}

/// <summary>The IP's warm-up toward one provider: the day (0 first), today's cap (null once warm there), what it accepted today (UTC).</summary>
public sealed record IpWarmupProvider(string Provider, int Day, int? CapToday, int SentToday, DateTimeOffset? StartedAt);

/// <summary>A provider blocking the IP: which block, why, and until when its lane cools down (null while probing).</summary>
public sealed record IpCooldown(string Provider, string BlockId, string Kind, string State, DateTimeOffset? Until);

/// <summary>A DNS block list listing the IP: its answer codes, since when, the last check, and where to look it up or ask for removal.</summary>
public sealed record IpDnsblListing(string Zone, IReadOnlyList<string> Codes, DateTimeOffset Since, DateTimeOffset CheckedAt, string? DelistUrl);

/// <param name="Paused">Readers an operator paused (配信一時停止); not in the API's original four.</param>
public sealed record SubscriberCounts(int Active, int Held, int ErrorStopped, int Unsubscribed, int Paused = 0);

/// <param name="CatchUp">What a released reader gets of the stories it missed: <c>send-all-missed</c>, <c>latest-only</c>, <c>shift-schedule</c> or <c>skip</c>.</param>
public sealed record MagazineResponse(string Id, string Name, string FromAddress, string? FromName, DateTimeOffset CreatedAt, SubscriberCounts SubscriberCounts, string CatchUp);

/// <summary>A partial update of a magazine: a field left out (or null) keeps its value.</summary>
public sealed record UpdateMagazineRequest(string? Name = null, string? FromAddress = null, string? FromName = null, string? CatchUp = null);

/// <summary>The step stories a reader missed, computed by replaying its history.</summary>
public sealed record MissedStoriesResponse(string Email, IReadOnlyList<MissedStory> Items);

/// <param name="Queued">The story ids queued by this call, in sequence order (empty when nothing was left to queue).</param>
public sealed record ResendMissedResponse(IReadOnlyList<string> Queued);

public sealed record SubscriberCreatedResponse(string Email, string Status);

public sealed record SubscriberResponse(string Email, string Status, string? StatusReason, DateTimeOffset SubscribedAt, StepPositionResponse StepPosition, string? Name, IReadOnlyDictionary<string, string> Fields);

/// <summary>Where the reader is in the magazine's step sequence.</summary>
/// <param name="Delivered">Step stories delivered to the reader so far.</param>
/// <param name="Last">The last story delivered.</param>
/// <param name="Next">The story owed next, and <paramref name="NextAt"/> when it is (or was) due; null when nothing is owed.</param>
public sealed record StepPositionResponse(int Delivered, string? Last, string? Next, DateTimeOffset? NextAt);

public sealed record UndeliverableItem(string Email, string Status, string? StatusReason, string? LastReply, DateTimeOffset Since);

public sealed record UndeliverablePage(IReadOnlyList<UndeliverableItem> Items, string? Next);

public sealed record ImportAcceptedResponse(string ImportId);

public sealed record ImportRejectionsResponse(IReadOnlyList<Hikyaku.Contracts.Events.ImportRejection> Items, string? Next);
