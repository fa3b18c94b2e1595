using Hikyaku.Contracts.Model;

namespace Hikyaku.Contracts.Grains;

/// <summary>
/// A background job of a tenant (today: resending a magazine's missed step stories), event-sourced so it resumes where it
/// stopped after a crash. Key: <c>{tenantId}/{jobId}</c>.
/// </summary>
[Alias("hikyaku.IJobGrain")]
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>Starts resending the missed stories of every matching reader; a conflict when the job exists.</summary>
    [Alias("StartResendMissed")]
    Task<Outcome<JobView>> StartResendMissed(string magazineId, string? status, string? provider, string? blockId);

    /// <summary>The job's progress, or null when there is no such job.</summary>
    [Alias("Get")]
    Task<JobView?> Get();
}

/// <param name="State"><c>running</c> or <c>finished</c>.</param>
/// <param name="Total">Readers the job goes through (0 until counted).</param>
/// <param name="Done">Readers dealt with (their missed stories queued, or nothing missed).</param>
/// <param name="Failed">Readers whose stories could not be queued (not active).</param>
[GenerateSerializer, Immutable, Alias("hikyaku.job-view")]
public sealed record JobView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] string State,
    [property: Id(3)] int Total,
    [property: Id(4)] int Done,
    [property: Id(5)] int Failed,
    [property: Id(6)] DateTimeOffset StartedAt,
    [property: Id(7)] DateTimeOffset? FinishedAt);
