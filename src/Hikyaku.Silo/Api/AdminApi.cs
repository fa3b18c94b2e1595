using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Validation;
using Hikyaku.Grains.Storage;
using Hikyaku.Silo.Auth;

namespace Hikyaku.Silo.Api;

/// <summary>The hosting operator's routes: tenants and their sending IP pools.</summary>
public static partial class AdminApi
{
    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/v1").RequireAuthorization(Policies.Admin).WithTags("Admin");

        admin.MapPost("/tenants", CreateTenant)
            .Accepts<CreateTenantRequest>("application/json")
            .Produces<TenantCreatedResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Create a tenant")
            .WithDescription("Creates `{id, name}` and answers its API key, shown only in this answer: only the key's hash is stored. An id in use is 409.");

        admin.MapGet("/tenants", ListTenants)
            .Produces<TenantPage>().ProducesValidationProblem()
            .WithSummary("List tenants")
            .WithDescription("Every tenant in id order, `limit` at a time (1 to 1000, default 100); pass the answer's `next` to get the page after. Items never carry an API key.");

        admin.MapGet("/tenants/{tenantId}", async (string tenantId, IGrainFactory grains) =>
            await grains.GetGrain<ITenantGrain>(tenantId).Get() is { } tenant
                ? Results.Ok(tenant)
                : Problems.NotFound($"no tenant '{tenantId}'"))
            .Produces<TenantView>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Read a tenant")
            .WithDescription("The tenant's name, sending IPs, creation time and complaint count.");

        admin.MapPut("/tenants/{tenantId}/ips", SetIps)
            .Accepts<SetIpsRequest>("application/json")
            .Produces<TenantIpsResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Set a tenant's sending IPs")
            .WithDescription("Replaces the tenant's pool of dedicated sending IPs with `{ips: [...]}`. An address in another tenant's pool is 409 and nothing changes.");

        admin.MapGet("/ips/{ip}", GetIp).Produces<SendingIpResponse>().ProducesValidationProblem()
            .WithSummary("Read a sending IP")
            .WithDescription("Which tenant owns the address, the providers blocking it now (`cooldowns`: block, kind, state, until), the DNS block lists listing it (`dnsbl`, with the list's lookup page), its warm-up (`warmup`: `state` is `warming` while any provider caps it today, else `warm`; per provider the warm-up `day` (0 first; a day counts only when the IP sent there), `capToday`, `sentToday` and `startedAt`), and how many messages receiving servers accepted from it today (`sentToday`, UTC) and on each recent day (`daily`, newest first).");

        admin.MapPost("/ips/{ip}/warmup", StartWarmup)
            .Accepts<StartWarmupRequest>("application/json")
            .Produces<IpWarmupResponse>().ProducesValidationProblem()
            .WithSummary("Start or restart a sending IP's warm-up")
            .WithDescription("`{day?, provider?}`: the IP follows each provider's warm-up curve from `day` (default 0), toward every provider, or toward `provider` (a site id such as `microsoft`) only. While warming, a lane sends at most the day's cap from the IP to that provider and hands the rest to the tenant's other IPs that have room; with none they wait for the next UTC day. The curves are `Delivery:Warmup:Curves:{provider}` and `Delivery:Warmup:Default` (shipped defaults otherwise). A new IP starts at day 0 by itself when `Delivery:Warmup:NewIps` is on.");

        admin.MapDelete("/ips/{ip}/warmup", EndWarmup)
            .Produces<IpWarmupResponse>().ProducesValidationProblem()
            .WithSummary("Declare a sending IP warm")
            .WithDescription("The IP is warm (no cap) toward every provider, or toward `?provider=` only: for an established IP an operator moves in.");

        // Where things run, for operators chasing a failover (the dashboard shows the same per grain).
        admin.MapGet("/diagnostics/silo", (Orleans.Runtime.ILocalSiloDetails silo) => Results.Ok(new { silo = silo.SiloAddress.ToString() }))
            .WithSummary("The silo that answers").WithDescription("The address of the silo that served this request.");
        admin.MapGet("/diagnostics/broadcasts/{tenantId}/{broadcastId}/silo", async (string tenantId, string broadcastId, IGrainFactory grains) =>
                Identifier.IsValid(tenantId, out _) && Identifier.IsValid(broadcastId, out _)
                    ? Results.Ok(new { silo = await grains.GetGrain<IBroadcastGrain>(GrainKeys.Broadcast(tenantId, broadcastId)).GetSilo() })
                    : Problems.NotFound($"no broadcast '{broadcastId}' of tenant '{tenantId}'"))
            .WithSummary("Where a broadcast runs").WithDescription("The silo on which the broadcast's grain is active.");
        admin.MapGet("/diagnostics/magazines/{tenantId}/{magazineId}/silo", async (string tenantId, string magazineId, IGrainFactory grains) =>
                Identifier.IsValid(tenantId, out _) && Identifier.IsValid(magazineId, out _)
                    && grains.GetGrain<IMagazineGrain>(GrainKeys.Magazine(tenantId, magazineId)) is var magazine && await magazine.Get() is not null
                    ? Results.Ok(new { silo = await magazine.GetSilo() })
                    : Problems.NotFound($"no magazine '{magazineId}' of tenant '{tenantId}'"))
            .WithSummary("Where a magazine runs").WithDescription("The silo on which the magazine's grain is active.");
        admin.MapGet("/diagnostics/sites/{siteId}/silo", async (string siteId, IGrainFactory grains) =>
                (await BlocksApi.SitesWithBlocks(grains)).Contains(siteId, StringComparer.Ordinal)
                    ? Results.Ok(new { silo = await grains.GetGrain<IRecipientDomainGrain>(siteId).GetSilo() })
                    : Problems.NotFound($"no provider site '{siteId}' has had a block"))
            .WithSummary("Where a provider site's block state runs").WithDescription("The silo on which the grain of a site that has had a block (its lanes' states and blocks) is active.");
        admin.MapGet("/diagnostics/activations", async (IGrainFactory grains) =>
            {
                var stats = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
                var byType = stats.GroupBy(s => s.GrainType.Split(',')[0].Split('.')[^1]).OrderByDescending(g => g.Sum(s => s.ActivationCount))
                    .ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
                return Results.Ok(new { total = stats.Sum(s => s.ActivationCount), byType });
            })
            .WithSummary("Grain activations in the cluster").WithDescription("`{total, byType}`: how many grains are active now, in all silos, by grain class.");
        admin.MapGet("/diagnostics/magazines/{tenantId}/{magazineId}/steps", async (string tenantId, string magazineId, IGrainFactory grains) =>
                Identifier.IsValid(tenantId, out _) && Identifier.IsValid(magazineId, out _)
                    ? Results.Ok(await grains.GetGrain<IStepSchedulerGrain>(GrainKeys.Magazine(tenantId, magazineId)).GetView())
                    : Problems.NotFound($"no magazine '{magazineId}' of tenant '{tenantId}'"))
            .WithSummary("A magazine's step scheduler")
            .WithDescription("`{inFlight, dispatched, lagP50Ms, lagP99Ms, rescheduling, silo}`: readers handed to lanes and not answered, stories handed out since "
                + "the scheduler's activation, the delay from a story's due time to its hand-over (over the last 20,000), and where it runs.");
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

    /// <summary>Every tenant, in id order, <c>limit</c> at a time (default 100, at most 1000), resuming at <c>next</c>.</summary>
    private static async Task<IResult> ListTenants(string? limit, string? next, IGrainFactory grains)
    {
        var check = new Validate();
        var size = Paging.Limit(check, limit);
        var after = Paging.After(check, next);
        if (!check.Ok)
        {
            return check.Problem;
        }

        var ids = await grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.Tenants).Page(after, size + 1);
        var tenants = await Task.WhenAll(ids.Take(size).Select(id => grains.GetGrain<ITenantGrain>(id).Get()));
        var items = tenants.OfType<TenantView>().Select(t => new TenantListItem(t.Id, t.Name, t.Ips, t.CreatedAt)).ToList();
        return Results.Ok(new TenantPage(items, ids.Count > size ? Paging.Cursor(ids[size - 1]) : null));
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
        var sites = await BlocksApi.SitesWithBlocks(grains);
        var blocks = (await Task.WhenAll(sites.Select(s => grains.GetGrain<IRecipientDomainGrain>(s).ListBlocks(view.TenantId))))
            .SelectMany(b => b)
            .Where(b => b.SourceIp == view.Ip && b.State is Hikyaku.Domain.Sites.BlockStates.Active or Hikyaku.Domain.Sites.BlockStates.Probing or Hikyaku.Domain.Sites.BlockStates.Lifted)
            .Select(b => new IpCooldown(b.Provider, b.Id, b.Kind, b.State, b.State == Hikyaku.Domain.Sites.BlockStates.Active ? b.Until : null))
            .ToList();
        var dnsbl = (view.Dnsbl ?? []).Select(l => new IpDnsblListing(l.Zone, l.Codes, l.Since, l.CheckedAt,
            Hikyaku.Domain.Blocks.DelistCatalog.Default.FindDnsbl(l.Zone)?.Forms.FirstOrDefault()?.UrlFor(view.Ip).ToString())).ToList();
        return Results.Ok(new SendingIpResponse(view.Ip, view.TenantId, view.AssignedAt, blocks, dnsbl, IpWarmupResponse.From(view.Warmup), view.SentToday, view.Daily ?? []));
    }

    /// <summary>The furthest warm-up day an operator may start at: past every shipped curve, so the IP is warm there.</summary>
    private const int MaxWarmupDay = 365;

    private static async Task<IResult> StartWarmup(string ip, HttpContext http, IGrainFactory grains)
    {
        if (!System.Net.IPAddress.TryParse(ip, out var address))
        {
            return Problems.Invalid("ip", $"'{ip}' is not an IP address");
        }

        var body = await RequestBody.ReadJsonAsync<StartWarmupRequest>(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var check = new Validate();
        var day = body.Value!.Day ?? 0;
        if (day is < 0 or > MaxWarmupDay)
        {
            check.Add("day", $"must be a warm-up day from 0 to {MaxWarmupDay}");
        }

        var provider = Provider(check, body.Value.Provider);
        if (!check.Ok)
        {
            return check.Problem;
        }

        var view = await grains.GetGrain<ISendingIpGrain>(address.ToString()).StartWarmup(day, provider, "admin");
        return Results.Ok(IpWarmupResponse.From(view));
    }

    private static async Task<IResult> EndWarmup(string ip, string? provider, IGrainFactory grains)
    {
        var check = new Validate();
        if (!System.Net.IPAddress.TryParse(ip, out var address))
        {
            check.Add("ip", $"'{ip}' is not an IP address");
        }

        var site = Provider(check, provider);
        if (!check.Ok)
        {
            return check.Problem;
        }

        var view = await grains.GetGrain<ISendingIpGrain>(address!.ToString()).EndWarmup(site, "admin");
        return Results.Ok(IpWarmupResponse.From(view));
    }

    /// <summary>A provider site id (<c>microsoft</c>, or a rolled-up host name such as <c>example-isp.ne.jp</c>), lower-cased; null for every provider.</summary>
    private static string? Provider(Validate check, string? provider)
    {
        if (provider is null)
        {
            return null;
        }

        var site = provider.Trim().ToLowerInvariant();
        if (!SiteId().IsMatch(site))
        {
            check.Add("provider", "must be a provider site id such as 'microsoft' or 'docomo' (letters, digits, '.', '-')");
        }

        return site;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$")]
    private static partial System.Text.RegularExpressions.Regex SiteId();
}

/// <summary>A tenant as the operator's list shows it; its API key (and the key's hash) never appear.</summary>
public sealed record TenantListItem(string Id, string Name, IReadOnlyList<string> Ips, DateTimeOffset CreatedAt);

public sealed record TenantPage(IReadOnlyList<TenantListItem> Items, string? Next);
