using Hikyaku.Domain.Delivery;
using System.Net;
using Hikyaku.Bounces;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Providers;
using Hikyaku.Domain.Validation;
using Hikyaku.Grains.Delivery;
using Hikyaku.Silo.Auth;
using Hikyaku.Smtp;
using Hikyaku.Smtp.Composition;

namespace Hikyaku.Silo.Api;

/// <summary>
/// Diagnosis: where a domain's mail goes and how each of the tenant's lanes toward it is doing, what the cluster
/// knows of providers, and test sends (テスト送信) from a chosen sending IP with the reply classified.
/// </summary>
public static class DiagnosisApi
{
    private const int MaxTestRecipients = 20;

    /// <summary>Test messages one request to the seed addresses may send (seeds × sending IPs).</summary>
    private const int MaxSeedSends = 200;

    public static void MapDiagnosisApi(this IEndpointRouteBuilder app)
    {
        var tenant = app.MapGroup("/v1").RequireAuthorization(Policies.Tenant).WithTags("Diagnosis");
        tenant.MapGet("/domains/{domain}", Domain).Produces<DomainResponse>().ProducesValidationProblem()
            .WithSummary("Where a domain's mail goes")
            .WithDescription("The domain's provider, MX hosts and route, and each of this tenant's lanes toward it: state, pace, concurrency, last replies.");
        tenant.MapPost("/test-deliveries", TestDeliveries)
            .Accepts<TestDeliveryRequest>("application/json")
            .Produces<TestDeliveryResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Test delivery (テスト送信)")
            .WithDescription("Sends a test message to `{to: [...], sourceIp?}` from one of the tenant's IPs (the first when `sourceIp` is omitted) and answers each receiving server's reply, classified. "
                + "Without `to`, or with `seeds: true`, it goes to the tenant's seed addresses (only `provider`'s when given) from `sourceIp` or from each of the tenant's IPs: one result per seed and IP.");

        app.MapGet("/v1/providers", Providers).RequireAuthorization(Policies.Admin).WithTags("Admin").Produces<IReadOnlyList<ProviderResponse>>()
            .WithSummary("Known providers")
            .WithDescription("The provider catalog with the domains and MX patterns of each, the domains traffic revealed, and the state of every lane toward it.");
    }

    private static async Task<IResult> Domain(string domain, HttpContext http, IGrainFactory grains, IDeliveryRouter router)
    {
        if (!EmailAddress.TryNormalizeDomain(domain, out var name, out _))
        {
            return Problems.Invalid("domain", $"'{domain}' is not a domain name");
        }

        var route = await router.RouteAsync(name);
        var ips = await TenantIps(grains, http.TenantId());
        var lanes = route.Status == RouteStatus.Ok
            ? await Task.WhenAll(ips.Select(ip => grains.GetGrain<ILaneGrain>(LaneKeys.For(route.SiteId, ip)).GetView()))
            : [];
        var provider = ProviderCatalog.Default.FindById(route.SiteId);
        return Results.Ok(new DomainResponse(
            name,
            provider?.Id ?? (route.Status == RouteStatus.Ok ? route.SiteId : null),
            provider?.Name,
            route.Status.ToString().ToLowerInvariant(),
            route.Error,
            route.Status == RouteStatus.Ok ? route.MxHosts.Count > 0 ? route.MxHosts : [route.MxHost] : [],
            lanes.Select(LaneResponse.From).ToList()));
    }

    private static async Task<IResult> Providers(IGrainFactory grains)
    {
        var seen = (await grains.GetGrain<ISiteDirectoryGrain>(ISiteDirectoryGrain.Key).Get()).ToDictionary(s => s.SiteId, StringComparer.Ordinal);
        var answer = new List<ProviderResponse>();
        foreach (var p in ProviderCatalog.Default.Providers)
        {
            var site = seen.GetValueOrDefault(p.Id);
            answer.Add(new ProviderResponse(
                p.Id, p.Name, p.Domains, site?.Domains ?? [], p.MxPatterns.Select(m => m.Text).ToList(), p.DelistUrl?.ToString(),
                await Lanes(grains, p.Id, site)));
        }

        // Sites outside the catalog (a company's own MX, a small ISP) that traffic went to.
        foreach (var site in seen.Values.Where(s => ProviderCatalog.Default.FindById(s.SiteId) is null))
        {
            answer.Add(new ProviderResponse(site.SiteId, null, [], site.Domains, [], null, await Lanes(grains, site.SiteId, site)));
        }

        return Results.Ok(answer);
    }

    private static async Task<IReadOnlyList<LaneResponse>> Lanes(IGrainFactory grains, string siteId, SiteSeen? site) =>
        site is null
            ? []
            : (await Task.WhenAll(site.SourceIps.Select(ip => grains.GetGrain<ILaneGrain>(LaneKeys.For(siteId, ip)).GetView()))).Select(LaneResponse.From).ToList();

    private static async Task<IResult> TestDeliveries(HttpContext http, IGrainFactory grains, IDeliveryRouter router, ISmtpSender sender, DeliveryOptions delivery)
    {
        var body = await RequestBody.ReadJsonAsync<TestDeliveryRequest>(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var request = body.Value!;
        var check = new Validate();
        var tenant = grains.GetGrain<ITenantGrain>(http.TenantId());
        var toSeeds = request.Seeds == true || request.To is null;
        var recipients = new List<(string To, string? Provider)>();
        if (toSeeds)
        {
            recipients.AddRange(await SeedRecipients(check, request, tenant));
        }
        else if (request.To is not { Count: > 0 and <= MaxTestRecipients })
        {
            check.Add("to", $"must hold 1 to {MaxTestRecipients} addresses, not {request.To!.Count}");
        }
        else
        {
            if (request.Provider is not null)
            {
                check.Add("provider", "picks seed addresses: give it without `to`, or with `seeds: true` and without `to`");
            }

            for (var i = 0; i < request.To.Count; i++)
            {
                var address = check.Email($"to[{i}]", request.To[i]);
                if (check.Ok)
                {
                    recipients.Add((address, null));
                }
            }
        }

        var ips = await TenantIps(grains, http.TenantId());
        string? sourceIp = null;
        if (request.SourceIp is { } wanted)
        {
            sourceIp = IPAddress.TryParse(wanted, out var parsed) ? parsed.ToString() : null;
            if (sourceIp is null || !ips.Contains(sourceIp))
            {
                check.Add("sourceIp", $"'{wanted}' is not one of this tenant's sending IPs");
            }
        }

        // To given addresses: from sourceIp or the first IP, as always. To seeds: from sourceIp or from every IP of the pool.
        IReadOnlyList<string> sources = sourceIp is not null ? [sourceIp] : toSeeds ? ips : [ips[0]];
        if (check.Ok && toSeeds && recipients.Count * sources.Count > MaxSeedSends)
        {
            check.Add("seeds", $"would send {recipients.Count * sources.Count} test messages ({recipients.Count} seed addresses from {sources.Count} IPs); "
                + $"at most {MaxSeedSends} at once: pick a `provider` or a `sourceIp`");
        }

        var from = check.Email("from", request.From, required: false);
        if (!check.Ok)
        {
            return check.Problem;
        }

        // As for broadcasts: real mail leaves from the tenant's own IPs only.
        if (!delivery.Sandbox && ips is [LaneKeys.DefaultSource])
        {
            return Problems.From(CommandError.Conflict(BroadcastsApi.NoSendingIps(http.TenantId())));
        }

        var composer = TestMessage.Composer(from.Length > 0 ? from : TestMessage.DefaultFrom(delivery), http.TenantId());
        var providerOf = recipients.Where(r => r.Provider is not null).ToDictionary(r => r.To, r => r.Provider, StringComparer.Ordinal);
        var results = new List<TestDeliveryResult>();
        foreach (var source in sources)
        {
            foreach (var group in recipients.Select(r => r.To).Distinct(StringComparer.Ordinal).GroupBy(EmailAddress.DomainOf))
            {
                var sent = await SendTests(router, sender, composer, source, group.Key, group.ToList(), http.RequestAborted);
                results.AddRange(sent.Select(r => r with { Provider = providerOf.GetValueOrDefault(r.To) }));
            }
        }

        return Results.Ok(new TestDeliveryResponse(results));
    }

    /// <summary>The tenant's seed addresses the request picks (all, or one provider's); a problem when there are none.</summary>
    private static async Task<IReadOnlyList<(string To, string? Provider)>> SeedRecipients(Validate check, TestDeliveryRequest request, ITenantGrain tenant)
    {
        if (request.To is { Count: > 0 })
        {
            check.Add("seeds", "sends to the seed addresses: give either `to` or `seeds: true`, not both");
            return [];
        }

        var seeds = await tenant.GetSeedAddresses();
        string? provider = null;
        if (request.Provider is { } wanted)
        {
            provider = wanted.Trim().ToLowerInvariant();
            if (ProviderCatalog.Default.FindById(provider) is null)
            {
                check.Add("provider", $"'{wanted}' is not a known provider; known providers are {string.Join(", ", ProviderCatalog.Default.Providers.Select(p => p.Id))}");
                return [];
            }

            if (!seeds.Any(s => s.Provider == provider))
            {
                check.Add("provider", $"this tenant has no seed address at {provider} (PUT /v1/settings/seed-addresses)");
                return [];
            }
        }
        else if (seeds.Count == 0)
        {
            check.Add(request.Seeds == true ? "seeds" : "to", request.Seeds == true
                ? "this tenant has no seed addresses (PUT /v1/settings/seed-addresses)"
                : $"is required: 1 to {MaxTestRecipients} addresses, or set seed addresses (PUT /v1/settings/seed-addresses) to send to them");
            return [];
        }

        return seeds.Where(s => provider is null || s.Provider == provider).Select(s => (s.Address, (string?)s.Provider)).ToList();
    }

    /// <summary>Sends the test message from <paramref name="sourceIp"/> to addresses of one domain; one result per address.</summary>
    private static async Task<IReadOnlyList<TestDeliveryResult>> SendTests(
        IDeliveryRouter router, ISmtpSender sender, MessageComposer composer, string sourceIp, string domain, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        var route = await router.RouteAsync(domain, cancellationToken);
        if (route.Status != RouteStatus.Ok)
        {
            var classification = route.Status == RouteStatus.Permanent ? "hostunknown" : "networkerror";
            return recipients.Select(to => new TestDeliveryResult(to, sourceIp, route.MxHost, null, classification, route.Error)).ToList();
        }

        var messages = recipients.Select(to => composer.Compose(to, unsubscribeToken: "")).ToList();
        var outcomes = await sender.SendAsync(new DeliveryBatch(LaneKeys.BindAddress(sourceIp), route.MxHost, route.Target!, messages), cancellationToken);
        return outcomes.Select(o => new TestDeliveryResult(
            o.Recipient, sourceIp, o.MxHost, new MailLogReply(o.Code, o.EnhancedCode, o.Text),
            ReplyRecords.From(o.Code, o.EnhancedCode, o.Text, o.Stage, o.FromProvider, o.RefusedLocally).Reason!,
            o.FromProvider ? null : "no reply from the provider: " + o.Text)).ToList();
    }

    private static async Task<IReadOnlyList<string>> TenantIps(IGrainFactory grains, string tenantId) =>
        await grains.GetGrain<ITenantGrain>(tenantId).Get() is { Ips.Count: > 0 } tenant ? tenant.Ips : [LaneKeys.DefaultSource];
}

public sealed record DomainResponse(string Domain, string? Provider, string? ProviderName, string Route, string? RouteError, IReadOnlyList<string> MxHosts, IReadOnlyList<LaneResponse> Lanes);

/// <param name="RateLimit">Messages per minute the lane sends at now.</param>
public sealed record LaneResponse(string SourceIp, string State, double RateLimit, int Concurrency, int Queued, DateTimeOffset? BlockedUntil, IReadOnlyList<MailLogReply> LastReplies)
{
    public static LaneResponse From(LaneView v) =>
        new(v.SourceIp, v.State, v.RatePerMinute, v.Concurrency, v.Queued, v.BlockedUntil, v.LastReplies.Select(r => new MailLogReply(r.Code, r.Enhanced, r.Text)).ToList());
}

public sealed record ProviderResponse(string Id, string? Name, IReadOnlyList<string> Domains, IReadOnlyList<string> DomainsSeen, IReadOnlyList<string> MxPatterns, string? DelistUrl, IReadOnlyList<LaneResponse> Lanes);

/// <param name="To">Addresses to send to; omitted, the test goes to the tenant's seed addresses.</param>
/// <param name="Seeds">True: send to the tenant's seed addresses (all, or <paramref name="Provider"/>'s), from <paramref name="SourceIp"/> or every sending IP.</param>
/// <param name="Provider">With the seed addresses: only this provider's (a catalog id such as <c>microsoft</c>).</param>
public sealed record TestDeliveryRequest(List<string>? To = null, string? SourceIp = null, string? From = null, bool? Seeds = null, string? Provider = null);

/// <param name="Provider">The provider a seed address is for (tests to seed addresses only).</param>
public sealed record TestDeliveryResult(string To, string SourceIp, string MxHost, MailLogReply? Reply, string Classification, string? Note, string? Provider = null);

public sealed record TestDeliveryResponse(IReadOnlyList<TestDeliveryResult> Results);
