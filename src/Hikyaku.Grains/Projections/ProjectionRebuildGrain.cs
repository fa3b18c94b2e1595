using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Projections;
using Hikyaku.EventStore;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.Projections;

/// <summary>
/// Runs a rebuild of the subscriber projection in the background, one page per timer tick so progress queries
/// are answered between pages. The checkpoint in the store says where to resume; this grain's stream keeps the
/// job's state and counters. A reminder brings it back after a silo restart, and activation resumes the run.
/// </summary>
public sealed class ProjectionRebuildGrain(EventSourcingServices services)
    : EventSourcedGrain<ProjectionRebuildState, ProjectionRebuildEvent>(services), IProjectionRebuildGrain, IRemindable
{
    /// <summary>The one projection this grain knows how to rebuild today.</summary>
    public const string Subscribers = "subscribers";

    private const string ResumeReminder = "resume-rebuild";
    private IGrainTimer? _timer;
    private SubscriberProjectionRebuilder? _rebuilder;

    protected override string StreamId => $"projection:{this.GetPrimaryKeyString()}";

    protected override string SnapshotName => "projection-rebuild-state.v1";

    private SubscriberProjectionRebuilder Rebuilder => _rebuilder ??= new(
        Services.Store,
        Services.Store as IEventLog ?? throw new NotSupportedException($"The event store {Services.Store.GetType().Name} cannot be read in global order."),
        Services.Store.Subscribers,
        Services.Serializer,
        new SubscriberRebuildOptions { CheckpointName = this.GetPrimaryKeyString() });

    public async Task<ProjectionRebuildProgress> Start()
    {
        if (this.GetPrimaryKeyString() != Subscribers)
        {
            throw new NotSupportedException($"No rebuild for projection '{this.GetPrimaryKeyString()}'.");
        }

        if (!State.IsRunning)
        {
            // Checkpoint first: were the silo to stop between the two, the job is not marked running, and the
            // operator starts it again; the other order could resume a "new" rebuild from an old checkpoint.
            await Rebuilder.StartOverAsync();
            var stamp = NewStamp();
            await RaiseAndConfirm(new ProjectionRebuildStarted(stamp.Id, stamp.At));
            await this.RegisterOrUpdateReminder(ResumeReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            ProjectionLog.RebuildStarted(Logger, this.GetPrimaryKeyString());
        }

        Resume();
        return State.ToProgress();
    }

    public Task<ProjectionRebuildProgress> GetProgress() => Task.FromResult(State.ToProgress());

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Resume();
        return Task.CompletedTask;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        if (State.IsRunning)
        {
            ProjectionLog.RebuildResumed(Logger, this.GetPrimaryKeyString(), State.Position);
            Resume();
        }
    }

    private void Resume()
    {
        if (_timer is null && State.IsRunning)
        {
            _timer = this.RegisterGrainTimer(RunPage, new GrainTimerCreationOptions(TimeSpan.Zero, TimeSpan.FromMilliseconds(1)) { KeepAlive = true });
        }
    }

    private async Task RunPage(CancellationToken cancellationToken)
    {
        RebuildPage page;
        try
        {
            page = await Rebuilder.RunPageAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Broken infrastructure (the database restarting): stop spinning; the reminder resumes from the checkpoint.
            ProjectionLog.RebuildFailed(Logger, this.GetPrimaryKeyString(), State.Position, e);
            StopTimer();
            return;
        }

        var stamp = NewStamp();
        if (!page.Finished)
        {
            await RaiseAndConfirm(new ProjectionRebuildPaged(stamp.Id, stamp.At, page.Position, page.StreamsStarted, page.RowsWritten));
            return;
        }

        await RaiseAndConfirm(new ProjectionRebuildFinished(stamp.Id, stamp.At, page.Position));
        ProjectionLog.RebuildFinished(Logger, this.GetPrimaryKeyString(), State.Position, State.StreamsSeen, State.RowsWritten);
        StopTimer();
        if (await this.GetReminder(ResumeReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
