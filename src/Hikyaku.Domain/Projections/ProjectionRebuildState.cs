using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Domain.Projections;

/// <summary>A projection rebuild's progress, folded from its stream.</summary>
[GenerateSerializer]
public sealed class ProjectionRebuildState : IEventSourcedState<ProjectionRebuildEvent>
{
    public const string Idle = "idle";
    public const string Running = "running";
    public const string Finished = "finished";

    [Id(0)] public string Status { get; set; } = Idle;

    [Id(1)] public long Position { get; set; }

    [Id(2)] public long StreamsSeen { get; set; }

    [Id(3)] public long RowsWritten { get; set; }

    [Id(4)] public DateTimeOffset? StartedAt { get; set; }

    [Id(5)] public DateTimeOffset? FinishedAt { get; set; }

    public bool IsRunning => Status == Running;

    public void Apply(ProjectionRebuildEvent @event)
    {
        switch (@event)
        {
            case ProjectionRebuildStarted e:
                (Status, Position, StreamsSeen, RowsWritten, StartedAt, FinishedAt) = (Running, 0, 0, 0, e.At, null);
                break;
            case ProjectionRebuildPaged e:
                Position = e.Position;
                StreamsSeen += e.StreamsStarted;
                RowsWritten += e.RowsWritten;
                break;
            case ProjectionRebuildFinished e:
                (Status, Position, FinishedAt) = (Finished, e.Position, e.At);
                break;
            default:
                throw new InvalidOperationException($"ProjectionRebuildState cannot apply {@event.GetType().Name}");
        }
    }

    public ProjectionRebuildProgress ToProgress() => new(Status, Position, StreamsSeen, RowsWritten, StartedAt, FinishedAt);
}
