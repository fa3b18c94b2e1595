using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;

namespace Hikyaku.Domain.Jobs;

/// <summary>A background job, folded from its stream.</summary>
[GenerateSerializer]
public sealed class JobState : IEventSourcedState<JobEvent>
{
    public const string ResendMissed = "resend-missed";

    [Id(0)] public string? Kind { get; set; }

    [Id(1)] public string? MagazineId { get; set; }

    [Id(2)] public string? Status { get; set; }

    [Id(3)] public string? Provider { get; set; }

    [Id(4)] public string? BlockId { get; set; }

    [Id(5)] public int? Total { get; set; }

    [Id(6)] public int Done { get; set; }

    [Id(7)] public int Failed { get; set; }

    /// <summary>The last reader address through (the job resumes after it).</summary>
    [Id(8)] public string? After { get; set; }

    [Id(9)] public DateTimeOffset StartedAt { get; set; }

    [Id(10)] public DateTimeOffset? FinishedAt { get; set; }

    public bool Exists => Kind is not null;

    public void Apply(JobEvent @event)
    {
        switch (@event)
        {
            case ResendMissedJobStarted e:
                Kind = ResendMissed;
                (MagazineId, Status, Provider, BlockId, StartedAt) = (e.MagazineId, e.Status, e.Provider, e.BlockId, e.At);
                break;
            case JobCounted e:
                Total = e.Total;
                break;
            case JobProgressed e:
                After = e.After;
                Done += e.Done;
                Failed += e.Failed;
                break;
            case JobFinished e:
                FinishedAt = e.At;
                break;
            default:
                throw new InvalidOperationException($"JobState cannot apply {@event.GetType().Name}");
        }
    }

    public JobView ToView(string id) => new(id, Kind ?? string.Empty, FinishedAt is null ? "running" : "finished", Total ?? 0, Done, Failed, StartedAt, FinishedAt);
}
