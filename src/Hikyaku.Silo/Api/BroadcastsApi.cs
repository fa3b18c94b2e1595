using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Validation;
using Hikyaku.Grains.Storage;
using Hikyaku.Silo.Auth;

namespace Hikyaku.Silo.Api;

public sealed record CreateBroadcastRequest(string? Subject, string? TextBody, string? HtmlBody = null, DateTimeOffset? SendAt = null);

public sealed record BroadcastAccepted(string Id);

/// <summary>Broadcasts (一斉送信 / 号外) and the delivery history (配信履歴).</summary>
public static class BroadcastsApi
{
    public static string NoSendingIps(string tenantId) => $"the tenant has no sending IPs; ask the operator to assign some (PUT /v1/tenants/{tenantId}/ips)";

    public static void MapBroadcastsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").RequireAuthorization(Policies.Tenant).WithTags("Broadcasts");
        group.MapPost("/magazines/{magazineId}/broadcasts", Create)
            .Accepts<CreateBroadcastRequest>("application/json")
            .Produces<BroadcastAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Send a broadcast (一斉送信)")
            .WithDescription("Sends `{subject, textBody, htmlBody?, sendAt?}` to the magazine's active readers, now or at `sendAt`, from the tenant's sending IPs. "
                + "Answers 202 with the broadcast's id. Without the sandbox, a tenant with no sending IPs is refused with 409.");
        group.MapGet("/broadcasts/{broadcastId}", async (string broadcastId, HttpContext http, IGrainFactory grains) =>
                Identifier.IsValid(broadcastId, out _) && await grains.GetGrain<IBroadcastGrain>(GrainKeys.Broadcast(http.TenantId(), broadcastId)).Get() is { } view
                    ? Results.Ok(view)
                    : Problems.NotFound($"no broadcast '{broadcastId}'"))
            .Produces<BroadcastView>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A broadcast's progress")
            .WithDescription("State (`scheduled`, `sending`, `finished`) and counters; pending + delivered + held + errorStopped + the bounced counts add up to total at every moment.");
        group.MapGet("/broadcasts", List).Produces<IReadOnlyList<BroadcastView>>().ProducesValidationProblem()
            .WithSummary("Delivery history (配信履歴)")
            .WithDescription("This tenant's broadcasts, newest first, at most `limit` (1 to 1000, default 100).");
    }

    private static async Task<IResult> Create(string magazineId, HttpContext http, IGrainFactory grains, TimeProvider time, Smtp.DeliveryOptions delivery)
    {
        var tenantId = http.TenantId();
        if (await MagazinesApi.Magazine(grains, tenantId, magazineId) is null)
        {
            return MagazinesApi.MagazineNotFound(magazineId);
        }

        var body = await RequestBody.ReadJsonAsync<CreateBroadcastRequest>(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var check = new Validate().Content(string.Empty, r.Subject, r.TextBody, r.HtmlBody, textRequired: true);

        if (r.SendAt is { } sendAt && sendAt > time.GetUtcNow().AddYears(1))
        {
            check.Add("sendAt", "is more than a year away");
        }

        if (!check.Ok)
        {
            return check.Problem;
        }

        // Real delivery goes out from the tenant's own IPs only: without any it would leave from whatever address the
        // host picks, sharing the host's reputation. The sandbox has no reputation to share.
        if (!delivery.Sandbox && await grains.GetGrain<ITenantGrain>(tenantId).Get() is not { Ips.Count: > 0 })
        {
            return Problems.From(CommandError.Conflict(NoSendingIps(tenantId)));
        }

        var id = Guid.CreateVersion7().ToString("N");
        var created = await grains.GetGrain<IBroadcastGrain>(GrainKeys.Broadcast(tenantId, id)).Create(magazineId, r.Subject!.Trim(), r.TextBody!, r.HtmlBody, r.SendAt);
        return created.Error is { } error ? Problems.From(error) : Results.Accepted($"/v1/broadcasts/{id}", new BroadcastAccepted(id));
    }

    private static async Task<IResult> List(HttpContext http, IGrainFactory grains, string? limit)
    {
        var check = new Validate();
        var size = Paging.Limit(check, limit);
        if (!check.Ok)
        {
            return check.Problem;
        }

        var tenantId = http.TenantId();
        var ids = await grains.GetGrain<ITenantGrain>(tenantId).ListBroadcasts();
        var views = await Task.WhenAll(ids.Take(size).Select(id => grains.GetGrain<IBroadcastGrain>(GrainKeys.Broadcast(tenantId, id)).Get()));
        return Results.Ok(views.Where(v => v is not null));
    }
}
