using System.Text.Json;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Validation;
using Hikyaku.EventStore;
using Hikyaku.Grains.Storage;
using Hikyaku.Silo.Auth;

namespace Hikyaku.Silo.Api;

/// <summary>A magazine's readers: add, get, unsubscribe, restore, history, and the 不達読者一覧.</summary>
public static class SubscribersApi
{
    public static void MapSubscribersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/magazines/{magazineId}").RequireAuthorization(Policies.Tenant).WithTags("Subscribers");

        group.MapPost("/subscribers", Add)
            .Accepts<AddSubscriberRequest>("application/json")
            .Produces<SubscriberCreatedResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/subscribers/{email}", (string magazineId, string email, HttpContext http, IGrainFactory grains) =>
            WithReader(http, grains, magazineId, email, async reader =>
                await reader.Get() is { } view ? Results.Ok(ToResponse(view)) : ReaderNotFound(email)))
            .Produces<SubscriberResponse>();
        group.MapDelete("/subscribers/{email}", (string magazineId, string email, HttpContext http, IGrainFactory grains) =>
            WithReader(http, grains, magazineId, email, async reader => Answer(await reader.Unsubscribe("api"))))
            .Produces<SubscriberResponse>();
        MapStatusChange(group, "restore", reader => reader.Restore("api"));
        MapStatusChange(group, "pause", reader => reader.Pause("api"));
        MapStatusChange(group, "resume", reader => reader.Resume("api"));
        group.MapGet("/subscribers/{email}/history", (string magazineId, string email, HttpContext http, IGrainFactory grains) =>
            WithReader(http, grains, magazineId, email, async reader =>
            {
                var history = await reader.History();
                return history.Count == 0
                    ? ReaderNotFound(email)
                    : Results.Ok(history.Select(e => new { e.Version, e.Type, e.At, Data = JsonDocument.Parse(e.Data).RootElement }));
            }));
        group.MapGet("/subscribers/{email}/log", (string magazineId, string email, HttpContext http, IGrainFactory grains) =>
            WithReader(http, grains, magazineId, email, async reader =>
            {
                var history = await reader.History();
                return history.Count == 0 ? ReaderNotFound(email) : Results.Ok(MailLog.From(history));
            }))
            .Produces<IReadOnlyList<MailLogEntry>>();
        group.MapGet("/subscribers/{email}/missed", (string magazineId, string email, HttpContext http, IGrainFactory grains) =>
            WithReader(http, grains, magazineId, email, async reader =>
            {
                var steps = await grains.GetGrain<IMagazineGrain>(GrainKeys.Magazine(http.TenantId(), magazineId)).GetSteps() ?? [];
                var view = await reader.Get();
                return view is not null && await reader.MissedStories(steps) is { } missed
                    ? Results.Ok(new MissedStoriesResponse(view.Email, missed))
                    : ReaderNotFound(email);
            }))
            .Produces<MissedStoriesResponse>()
            .WithSummary("Step stories a reader missed")
            .WithDescription("Each story of the sequence that came due for the reader and was not delivered, replayed from the reader's history alone: "
                + "`{email, items: [{storyId, dueAt, reason, blockId?, reply?}]}` with `reason` `held` (and the block), `error-stopped` (and the reply), "
                + "`paused` (an operator paused the reader), `failed` (and the reply) or `not-sent`. A story added after the reader passed its time is due only with `backfill`.");
        group.MapPost("/subscribers/{email}/resend-missed", (string magazineId, string email, HttpContext http, IGrainFactory grains) =>
            WithReader(http, grains, magazineId, email, async reader =>
            {
                var outcome = await reader.ResendMissed();
                return outcome.Error is { } error ? Problems.From(error) : Results.Accepted(value: new ResendMissedResponse(outcome.Value!));
            }))
            .Produces<ResendMissedResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Resend a reader's missed stories")
            .WithDescription("Queues the step stories the reader missed (put aside when it came back, or ended without delivery: a hold that "
                + "expired, a refusal) to go out again in sequence order, and answers `{queued: [storyId...]}`. A story the reader's provider "
                + "accepted is never resent, and a story already queued is not queued again: a second call queues nothing. 409 while the "
                + "reader is not active (restore it first).");
        group.MapGet("/undeliverable", Undeliverable).Produces<UndeliverablePage>();
    }

    private static async Task<IResult> Add(string magazineId, HttpContext http, IGrainFactory grains)
    {
        var tenantId = http.TenantId();
        if (await MagazinesApi.Magazine(grains, tenantId, magazineId) is null)
        {
            return MagazinesApi.MagazineNotFound(magazineId);
        }

        var body = await RequestBody.ReadJsonAsync<AddSubscriberRequest>(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var check = new Validate().Header("name", r.Name, 200, required: false);
        var email = check.Email("email", r.Email);
        foreach (var (key, value) in r.Fields ?? [])
        {
            check.Header($"fields.{key}", value, 1024, required: false);
        }

        if (!check.Ok)
        {
            return check.Problem;
        }

        var result = await grains.GetGrain<ISubscriberGrain>(GrainKeys.Reader(tenantId, magazineId, email)).Subscribe(r.Name?.Trim(), r.Fields, "api");
        return result.Error is { } error
            ? Problems.From(error)
            : Results.Created($"/v1/magazines/{magazineId}/subscribers/{Uri.EscapeDataString(email)}", new SubscriberCreatedResponse(email, result.Value!.Status));
    }

    private static async Task<IResult> Undeliverable(string magazineId, string? after, string? limit, string? format, string? encoding, HttpContext http, IGrainFactory grains, IEventStore store)
    {
        var tenantId = http.TenantId();
        if (await MagazinesApi.Magazine(grains, tenantId, magazineId) is null)
        {
            return MagazinesApi.MagazineNotFound(magazineId);
        }

        var check = new Validate();
        var size = Paging.Limit(check, limit);
        var csv = ReaderExports.Format(check, format, encoding);
        if (!check.Ok)
        {
            return check.Problem;
        }

        if (csv is not null)
        {
            return ReaderExports.Undeliverable(store, tenantId, magazineId, csv);
        }

        var rows = await store.Subscribers.PageAsync(tenantId, magazineId, [SubscriberStatus.ErrorStopped, SubscriberStatus.Held], after, size);
        var items = rows.Select(r => new UndeliverableItem(r.Email, r.Status, r.StatusReason, r.LastReply, r.UpdatedAt)).ToList();
        return Results.Ok(new UndeliverablePage(items, items.Count == size ? items[^1].Email : null));
    }

    private static async Task<IResult> WithReader(HttpContext http, IGrainFactory grains, string magazineId, string email, Func<ISubscriberGrain, Task<IResult>> action)
    {
        var tenantId = http.TenantId();
        if (await MagazinesApi.Magazine(grains, tenantId, magazineId) is null)
        {
            return MagazinesApi.MagazineNotFound(magazineId);
        }

        // A reader stored under an address today's rules refuse (an older import, a restore) can still be looked at
        // and unsubscribed under the address it has; an unknown one answers 404 like any missing reader.
        var normalized = EmailAddress.TryNormalize(email, out var valid, out _) ? valid : email.Trim().ToLowerInvariant();
        return await action(grains.GetGrain<ISubscriberGrain>(GrainKeys.Reader(tenantId, magazineId, normalized)));
    }

    /// <summary><c>POST .../subscribers/{email}/{verb}</c>: an operator's change of the reader's status, answered with the reader.</summary>
    private static void MapStatusChange(RouteGroupBuilder group, string verb, Func<ISubscriberGrain, Task<Outcome<SubscriberView>>> change) =>
        group.MapPost($"/subscribers/{{email}}/{verb}", (string magazineId, string email, HttpContext http, IGrainFactory grains) =>
            WithReader(http, grains, magazineId, email, async reader => Answer(await change(reader))))
            .Produces<SubscriberResponse>();

    private static IResult Answer(Outcome<SubscriberView> outcome) =>
        outcome.Error is { } error ? Problems.From(error) : Results.Ok(ToResponse(outcome.Value!));

    private static IResult ReaderNotFound(string email) => Problems.NotFound($"no reader '{email}' in this magazine");

    private static SubscriberResponse ToResponse(SubscriberView v) =>
        new(v.Email, v.Status, v.StatusReason, v.SubscribedAt, new StepPositionResponse(v.StepPosition, v.StepLast, v.StepNext, v.StepNextAt), v.Name, v.Fields);
}
