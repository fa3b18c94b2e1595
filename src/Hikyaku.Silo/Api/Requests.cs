namespace Hikyaku.Silo.Api;

public sealed record CreateTenantRequest(string? Id, string? Name);

public sealed record SetIpsRequest(List<string>? Ips);

public sealed record CreateMagazineRequest(string? Id, string? Name, string? FromAddress, string? FromName = null);

public sealed record AddSubscriberRequest(string? Email, string? Name = null, Dictionary<string, string>? Fields = null);

public sealed record TenantCreatedResponse(string Id, string Name, string ApiKey);

public sealed record TenantIpsResponse(string TenantId, IReadOnlyList<string> Ips);

/// <param name="SentToday">Messages receiving servers accepted from this IP today (UTC).</param>
/// <param name="Daily">Recent days with sends, newest first: <c>{date, sent}</c>.</param>
public sealed record SendingIpResponse(string Ip, string? TenantId, DateTimeOffset? AssignedAt, IReadOnlyList<object> Cooldowns, IReadOnlyList<object> Dnsbl, int SentToday, IReadOnlyList<Contracts.Model.DailySent> Daily);

public sealed record SubscriberCounts(int Active, int Held, int ErrorStopped, int Unsubscribed);

public sealed record MagazineResponse(string Id, string Name, string FromAddress, string? FromName, DateTimeOffset CreatedAt, SubscriberCounts SubscriberCounts);

public sealed record SubscriberCreatedResponse(string Email, string Status);

public sealed record SubscriberResponse(string Email, string Status, string? StatusReason, DateTimeOffset SubscribedAt, int StepPosition, string? Name, IReadOnlyDictionary<string, string> Fields);

public sealed record UndeliverableItem(string Email, string Status, string? StatusReason, string? LastReply, DateTimeOffset Since);

public sealed record UndeliverablePage(IReadOnlyList<UndeliverableItem> Items, string? Next);

public sealed record ImportAcceptedResponse(string ImportId);

public sealed record ImportRejectionsResponse(IReadOnlyList<Hikyaku.Contracts.Events.ImportRejection> Items, string? Next);
