using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.EventStore;
using Hikyaku.Grains.Storage;
using Hikyaku.Silo.Auth;

namespace Hikyaku.Silo.Api;

/// <summary>A tenant's magazines. Another tenant's magazine answers 404, exactly as a missing one.</summary>
public static class MagazinesApi
{
    public static void MapMagazinesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/magazines").RequireAuthorization(Policies.Tenant).WithTags("Magazines");

        group.MapPost("/", Create)
            .Accepts<CreateMagazineRequest>("application/json")
            .Produces<MagazineResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Create a magazine")
            .WithDescription("Creates `{id, name, fromAddress, fromName?}` for this tenant. An id in use is 409.");

        group.MapGet("/", List).Produces<MagazinePage>().ProducesValidationProblem()
            .WithSummary("List magazines")
            .WithDescription("This tenant's magazines in id order, `limit` at a time (1 to 1000, default 100); pass the answer's `next` for the page after. `counts=true` adds each magazine's subscriber counts.");

        group.MapGet("/{magazineId}", Get).Produces<MagazineResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Read a magazine")
            .WithDescription("The magazine with its catch-up policy and subscriber counts by status. Another tenant's magazine answers 404, as a missing one.");

        group.MapPut("/{magazineId}", Update)
            .Accepts<UpdateMagazineRequest>("application/json")
            .Produces<MagazineResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Change a magazine's settings")
            .WithDescription("A partial update of `{name?, fromAddress?, fromName?, catchUp?}`: a field left out keeps its value. `catchUp` is what a reader "
                + "released from a hold or an error stop gets of the step stories it missed: `send-all-missed` (the default), `latest-only`, "
                + "`shift-schedule` (the rest of the sequence moves later by the time lost) or `skip`.");
    }

    private static async Task<IResult> Create(HttpContext http, IGrainFactory grains, IEventStore store)
    {
        var body = await RequestBody.ReadJsonAsync<CreateMagazineRequest>(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var check = new Validate().Id("id", r.Id).Header("name", r.Name, 200, required: true).Header("fromName", r.FromName, 200, required: false);
        var from = check.Email("fromAddress", r.FromAddress);
        if (!check.Ok)
        {
            return check.Problem;
        }

        var tenantId = http.TenantId();
        var created = await grains.GetGrain<IMagazineGrain>(GrainKeys.Magazine(tenantId, r.Id!)).Create(r.Name!.Trim(), from, r.FromName?.Trim());
        return created.Error is { } error
            ? Problems.From(error)
            : Results.Created($"/v1/magazines/{r.Id}", await ToResponse(created.Value!, tenantId, store));
    }

    private static async Task<IResult> Get(string magazineId, HttpContext http, IGrainFactory grains, IEventStore store)
    {
        var tenantId = http.TenantId();
        var magazine = await Magazine(grains, tenantId, magazineId);
        return magazine is null ? MagazineNotFound(magazineId) : Results.Ok(await ToResponse(magazine, tenantId, store));
    }

    private static async Task<IResult> Update(string magazineId, HttpContext http, IGrainFactory grains, IEventStore store)
    {
        var tenantId = http.TenantId();
        if (await Magazine(grains, tenantId, magazineId) is null)
        {
            return MagazineNotFound(magazineId);
        }

        var body = await RequestBody.ReadJsonAsync<UpdateMagazineRequest>(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        // A field that is there must be valid: an empty name is not "keep the name".
        var check = new Validate().Header("name", r.Name, 200, required: r.Name is not null).Header("fromName", r.FromName, 200, required: r.FromName is not null);
        var from = check.Email("fromAddress", r.FromAddress, required: false);
        if (r.CatchUp is not null && !CatchUpPolicies.All.Contains(r.CatchUp))
        {
            check.Add("catchUp", $"must be one of {string.Join(", ", CatchUpPolicies.All)}, not '{r.CatchUp}'");
        }

        if (!check.Ok)
        {
            return check.Problem;
        }

        var updated = await grains.GetGrain<IMagazineGrain>(GrainKeys.Magazine(tenantId, magazineId))
            .Update(r.Name?.Trim(), r.FromAddress is null ? null : from, r.FromName?.Trim(), r.CatchUp);
        return updated.Error is { } error ? Problems.From(error) : Results.Ok(await ToResponse(updated.Value!, tenantId, store));
    }

    /// <summary>This tenant's magazines in id order, <c>limit</c> at a time, resuming at <c>next</c>; counts with <c>?counts=true</c>.</summary>
    private static async Task<IResult> List(string? limit, string? next, string? counts, HttpContext http, IGrainFactory grains, IEventStore store)
    {
        var check = new Validate();
        var size = Paging.Limit(check, limit);
        var after = Paging.After(check, next);
        var withCounts = false;
        if (counts is not null && !bool.TryParse(counts, out withCounts))
        {
            check.Add("counts", $"must be true or false, not '{counts}'");
        }

        if (!check.Ok)
        {
            return check.Problem;
        }

        var tenantId = http.TenantId();
        var ids = await grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.Magazines(tenantId)).Page(after, size + 1);
        var magazines = await Task.WhenAll(ids.Take(size).Select(id => grains.GetGrain<IMagazineGrain>(GrainKeys.Magazine(tenantId, id)).Get()));
        var items = new List<MagazineListItem>(magazines.Length);
        foreach (var m in magazines.OfType<MagazineView>())
        {
            var subscriberCounts = withCounts ? (await ToResponse(m, tenantId, store)).SubscriberCounts : null;
            items.Add(new MagazineListItem(m.Id, m.Name, m.FromAddress, m.FromName, m.CreatedAt, subscriberCounts));
        }

        return Results.Ok(new MagazinePage(items, ids.Count > size ? Paging.Cursor(ids[size - 1]) : null));
    }

    /// <summary>The magazine when it exists for this tenant; null otherwise (also for an invalid id).</summary>
    public static async Task<MagazineView?> Magazine(IGrainFactory grains, string tenantId, string magazineId) =>
        Domain.Validation.Identifier.IsValid(magazineId, out _)
            ? await grains.GetGrain<IMagazineGrain>(GrainKeys.Magazine(tenantId, magazineId)).Get()
            : null;

    public static IResult MagazineNotFound(string magazineId) => Problems.NotFound($"no magazine '{magazineId}'");

    private static async Task<MagazineResponse> ToResponse(MagazineView m, string tenantId, IEventStore store)
    {
        var counts = await store.Subscribers.CountByStatusAsync(tenantId, m.Id);
        int Count(string status) => counts.TryGetValue(status, out var n) ? n : 0;
        return new MagazineResponse(m.Id, m.Name, m.FromAddress, m.FromName, m.CreatedAt, new SubscriberCounts(
            Count(SubscriberStatus.Active), Count(SubscriberStatus.Held), Count(SubscriberStatus.ErrorStopped), Count(SubscriberStatus.Unsubscribed), Count(SubscriberStatus.Paused)), m.CatchUp);
    }
}

/// <param name="SubscriberCounts">Only with <c>?counts=true</c>: one count query per magazine.</param>
public sealed record MagazineListItem(string Id, string Name, string FromAddress, string? FromName, DateTimeOffset CreatedAt, SubscriberCounts? SubscriberCounts);

public sealed record MagazinePage(IReadOnlyList<MagazineListItem> Items, string? Next);
