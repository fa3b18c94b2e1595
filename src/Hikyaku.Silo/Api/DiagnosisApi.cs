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
            .WithDescription("Sends a test message to `{to: [...], sourceIp?}` from one of the tenant's IPs and answers each receiving server's reply, classified.");

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
        var recipients = new List<string>();
        if (request.To is not { Count: > 0 and <= MaxTestRecipients })
        {
            check.Add("to", request.To is null
                ? $"is required: 1 to {MaxTestRecipients} addresses"
                : $"must hold 1 to {MaxTestRecipients} addresses, not {request.To.Count}");
        }
        else
        {
            for (var i = 0; i < request.To.Count; i++)
            {
                var address = check.Email($"to[{i}]", request.To[i]);
                if (check.Ok)
                {
                    recipients.Add(address);
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

        sourceIp ??= ips[0];
        var fromAddress = from.Length > 0 ? from : $"postmaster@{delivery.HeloName}";
        var composer = new MessageComposer(new MailContent(
            $"t:{Guid.NewGuid():N}", fromAddress, "Hikyaku test", "Hikyaku test delivery", "This is a test message sent to check delivery from this sending IP.", null, http.TenantId(), "test"));
        var results = new List<TestDeliveryResult>();
        foreach (var group in recipients.Distinct(StringComparer.Ordinal).GroupBy(EmailAddress.DomainOf))
        {
            var route = await router.RouteAsync(group.Key, http.RequestAborted);
            if (route.Status != RouteStatus.Ok)
            {
                var classification = route.Status == RouteStatus.Permanent ? "hostunknown" : "networkerror";
                results.AddRange(group.Select(to => new TestDeliveryResult(to, sourceIp, route.MxHost, null, classification, route.Error)));
                continue;
            }

            var messages = group.Select(to => composer.Compose(to, unsubscribeToken: "")).ToList();
            var source = sourceIp == LaneKeys.DefaultSource ? IPAddress.Any : IPAddress.Parse(sourceIp);
            var outcomes = await sender.SendAsync(new DeliveryBatch(source, route.MxHost, route.Target!, messages), http.RequestAborted);
            results.AddRange(outcomes.Select(o => new TestDeliveryResult(
                o.Recipient, sourceIp, o.MxHost, new MailLogReply(o.Code, o.EnhancedCode, o.Text),
                ReplyRecords.From(o.Code, o.EnhancedCode, o.Text, o.Stage, o.FromProvider, o.RefusedLocally).Reason!,
                o.FromProvider ? null : "no reply from the provider: " + o.Text)));
        }

        return Results.Ok(new TestDeliveryResponse(results));
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

public sealed record TestDeliveryRequest(List<string>? To, string? SourceIp = null, string? From = null);

public sealed record TestDeliveryResult(string To, string SourceIp, string MxHost, MailLogReply? Reply, string Classification, string? Note);

public sealed record TestDeliveryResponse(IReadOnlyList<TestDeliveryResult> Results);
