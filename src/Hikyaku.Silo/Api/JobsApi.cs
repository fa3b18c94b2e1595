using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Silo.Auth;

namespace Hikyaku.Silo.Api;

/// <param name="Status">Only readers with this status (<c>active</c>, <c>held</c>, <c>error-stopped</c>); readers who are not active count as failed.</param>
/// <param name="Provider">Only readers whose domain a provider serves (<c>microsoft</c>, <c>google</c>, <c>docomo</c>...).</param>
/// <param name="BlockId">Only readers a block held or took back from an error stop (<c>microsoft.1</c>).</param>
public sealed record ResendMissedRequest(string? Status = null, string? Provider = null, string? BlockId = null);

public sealed record JobStartedResponse(string JobId);

/// <summary>Background jobs: resending a magazine's missed step stories, and each job's progress.</summary>
public static class JobsApi
{
    private static readonly string[] Statuses = [SubscriberStatus.Active, SubscriberStatus.Held, SubscriberStatus.ErrorStopped];

    public static void MapJobsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/magazines/{magazineId}/resend-missed", ResendMissed).RequireAuthorization(Policies.Tenant).WithTags("Magazines")
            .Accepts<ResendMissedRequest>("application/json")
            .Produces<JobStartedResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Resend missed stories to every reader, in the background")
            .WithDescription("Starts a job that queues, for every reader of the magazine (or those matching `{status?, provider?, blockId?}`), the step "
                + "stories it missed, as `POST .../subscribers/{email}/resend-missed` does for one: in sequence order, each story at most once "
                + "ever. Answers `{jobId}`; `GET /v1/jobs/{jobId}` gives the progress. `{}` is every reader.");
        app.MapGet("/v1/jobs/{jobId}", Get).RequireAuthorization(Policies.Tenant).WithTags("Magazines")
            .Produces<JobView>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A background job's progress")
            .WithDescription("`{id, kind, state, total, done, failed, startedAt, finishedAt}`: `state` is `running` or `finished`; `total` is 0 until "
                + "the job has counted the readers it goes through; `failed` counts readers it could not queue stories for (not active).");
    }

    private static async Task<IResult> ResendMissed(string magazineId, HttpContext http, IGrainFactory grains)
    {
        var tenantId = http.TenantId();
        if (await MagazinesApi.Magazine(grains, tenantId, magazineId) is null)
        {
            return MagazinesApi.MagazineNotFound(magazineId);
        }

        var body = await RequestBody.ReadJsonAsync<ResendMissedRequest>(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var filter = body.Value!;

        var check = new Validate();
        if (filter.Status is { } status && !Statuses.Contains(status))
        {
            check.Add("status", $"must be one of {string.Join(", ", Statuses)}");
        }

        if (filter.Provider is { } provider)
        {
            check.Id("provider", provider);
        }

        if (filter.BlockId is { } blockId && !BlocksApi.TrySite(blockId, out _))
        {
            check.Add("blockId", "is not a block id ({provider}.{n})");
        }

        if (!check.Ok)
        {
            return check.Problem;
        }

        var jobId = Guid.NewGuid().ToString("N")[..16];
        var started = await grains.GetGrain<IJobGrain>($"{tenantId}/{jobId}").StartResendMissed(magazineId, filter.Status, filter.Provider, filter.BlockId);
        return started.Error is { } error ? Problems.From(error) : Results.Accepted($"/v1/jobs/{jobId}", new JobStartedResponse(jobId));
    }

    private static async Task<IResult> Get(string jobId, HttpContext http, IGrainFactory grains)
    {
        var check = new Validate().Id("jobId", jobId);
        if (!check.Ok)
        {
            return Problems.NotFound($"no job '{jobId}'");
        }

        return await grains.GetGrain<IJobGrain>($"{http.TenantId()}/{jobId}").Get() is { } view
            ? Results.Ok(view)
            : Problems.NotFound($"no job '{jobId}'");
    }
}
