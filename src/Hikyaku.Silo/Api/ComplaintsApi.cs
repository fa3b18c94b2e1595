using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Grains.Storage;
using Hikyaku.Silo.Auth;

namespace Hikyaku.Silo.Api;

/// <param name="Rate">Complaints per delivered message (0 when nothing was delivered yet).</param>
public sealed record ComplaintRate(string MessageKey, int Complaints, int Delivered, double Rate);

/// <summary>A tenant's complaint rate: what mailbox providers judge a sender by (Gmail and Yahoo ask for under 0.3 %).</summary>
public sealed record TenantComplaintsResponse(string TenantId, int Complaints, int Delivered, double Rate, IReadOnlyList<ComplaintRate> Broadcasts, IReadOnlyList<ComplaintView> Latest);

/// <summary>The operator's view of complaints (ARF feedback reports) against a tenant: <c>GET /v1/tenants/{id}/complaints</c>.</summary>
public static class ComplaintsApi
{
    public static void MapComplaintsApi(this IEndpointRouteBuilder app) =>
        app.MapGroup("/v1").RequireAuthorization(Policies.Admin).WithTags("Admin")
            .MapGet("/tenants/{tenantId}/complaints", Get)
            .Produces<TenantComplaintsResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A tenant's complaints")
            .WithDescription("Complaints (ARF feedback reports) from the tenant's readers: the count, the rate per delivered message overall and per broadcast, and the latest ones.");

    private static async Task<IResult> Get(string tenantId, IGrainFactory grains)
    {
        var tenant = grains.GetGrain<ITenantGrain>(tenantId);
        if (await tenant.Get() is null)
        {
            return Problems.NotFound($"no tenant '{tenantId}'");
        }

        var complaints = await tenant.GetComplaints();
        var broadcasts = await Task.WhenAll((await tenant.ListBroadcasts()).Select(id => grains.GetGrain<IBroadcastGrain>(GrainKeys.Broadcast(tenantId, id)).Get()));
        var rates = broadcasts.OfType<BroadcastView>()
            .Select(b => MessageKey.Broadcast(b.Id).ToString()).Zip(broadcasts.OfType<BroadcastView>(), (key, b) => Rate(key, complaints.ByMessage.GetValueOrDefault(key), b.Delivered))
            .ToList();
        var delivered = rates.Sum(r => r.Delivered);
        return Results.Ok(new TenantComplaintsResponse(tenantId, complaints.Total, delivered, delivered == 0 ? 0 : (double)complaints.Total / delivered, rates, complaints.Latest));
    }

    private static ComplaintRate Rate(string key, int complaints, int delivered) => new(key, complaints, delivered, delivered == 0 ? 0 : (double)complaints / delivered);
}
