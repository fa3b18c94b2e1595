using Hikyaku.Domain.Validation;
using Hikyaku.Contracts.Grains;
using Hikyaku.Grains.Storage;
using Hikyaku.Silo.Auth;

namespace Hikyaku.Silo.Api;

/// <summary>The hosting operator's routes: tenants and their sending IP pools.</summary>
public static class AdminApi
{
    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/v1").RequireAuthorization(Policies.Admin).WithTags("Admin");

        admin.MapPost("/tenants", CreateTenant)
            .Accepts<CreateTenantRequest>("application/json")
            .Produces<TenantCreatedResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        admin.MapGet("/tenants/{tenantId}", async (string tenantId, IGrainFactory grains) =>
            await grains.GetGrain<ITenantGrain>(tenantId).Get() is { } tenant
                ? Results.Ok(tenant)
                : Problems.NotFound($"no tenant '{tenantId}'"));

        admin.MapPut("/tenants/{tenantId}/ips", SetIps)
            .Accepts<SetIpsRequest>("application/json")
            .Produces<TenantIpsResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        admin.MapGet("/ips/{ip}", GetIp).Produces<SendingIpResponse>();

        // Where things run, for operators chasing a failover (the dashboard shows the same per grain).
        admin.MapGet("/diagnostics/silo", (Orleans.Runtime.ILocalSiloDetails silo) => Results.Ok(new { silo = silo.SiloAddress.ToString() }))
            .WithTags("Diagnostics");
        admin.MapGet("/diagnostics/broadcasts/{tenantId}/{broadcastId}/silo", async (string tenantId, string broadcastId, IGrainFactory grains) =>
                Identifier.IsValid(tenantId, out _) && Identifier.IsValid(broadcastId, out _)
                    ? Results.Ok(new { silo = await grains.GetGrain<IBroadcastGrain>(GrainKeys.Broadcast(tenantId, broadcastId)).GetSilo() })
                    : Problems.NotFound($"no broadcast '{broadcastId}' of tenant '{tenantId}'"))
            .WithTags("Diagnostics");
    }

    private static async Task<IResult> CreateTenant(HttpContext http, IGrainFactory grains)
    {
        var body = await RequestBody.ReadJsonAsync<CreateTenantRequest>(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var request = body.Value!;
        var check = new Validate().Id("id", request.Id).Header("name", request.Name, 200, required: true);
        if (!check.Ok)
        {
            return check.Problem;
        }

        var created = await grains.GetGrain<ITenantGrain>(request.Id!).Create(request.Name!.Trim());
        return created.Error is { } error
            ? Problems.From(error)
            : Results.Created($"/v1/tenants/{request.Id}", new TenantCreatedResponse(created.Value!.Id, created.Value.Name, created.Value.ApiKey));
    }

    private static async Task<IResult> SetIps(string tenantId, HttpContext http, IGrainFactory grains)
    {
        var body = await RequestBody.ReadJsonAsync<SetIpsRequest>(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        if (body.Value!.Ips is null)
        {
            return Problems.Invalid("ips", "is required");
        }

        var result = await grains.GetGrain<ITenantGrain>(tenantId).SetIps(body.Value.Ips);
        return result.Error is { } error ? Problems.From(error) : Results.Ok(new TenantIpsResponse(tenantId, result.Value!.Ips));
    }

    private static async Task<IResult> GetIp(string ip, IGrainFactory grains)
    {
        if (!System.Net.IPAddress.TryParse(ip, out var address))
        {
            return Problems.Invalid("ip", $"'{ip}' is not an IP address");
        }

        var view = await grains.GetGrain<ISendingIpGrain>(address.ToString()).Get();
        return Results.Ok(new SendingIpResponse(view.Ip, view.TenantId, view.AssignedAt, [], [], 0));
    }
}
