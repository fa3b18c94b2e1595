using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Magazines;
using Hikyaku.Domain.Steps;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.Magazines;

public sealed class MagazineGrain(EventSourcingServices services) : EventSourcedGrain<MagazineState, MagazineEvent>(services), IMagazineGrain
{
    private string MagazineId => GrainKeys.SplitTenant(this.GetPrimaryKeyString()).Remainder;

    protected override string StreamId => $"magazine:{this.GetPrimaryKeyString()}";

    private string TenantId => GrainKeys.SplitTenant(this.GetPrimaryKeyString()).TenantId;

    /// <summary>A magazine that exists is listed: one created before the directory existed joins it when its grain wakes.</summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        if (State.Exists)
        {
            _ = GrainFactory.GetGrain<IDirectoryGrain>(IDirectoryGrain.Magazines(TenantId)).Remember(MagazineId);
        }
    }

    public async Task<Outcome<MagazineView>> Create(string name, string fromAddress, string? fromName)
    {
        if (State.Exists)
        {
            return CommandError.Conflict($"magazine '{MagazineId}' already exists", "id");
        }

        // Listed first: a crash before the event leaves an entry the list skips, never a magazine it misses.
        await GrainFactory.GetGrain<IDirectoryGrain>(IDirectoryGrain.Magazines(TenantId)).Add(MagazineId);
        var stamp = NewStamp();
        await RaiseAndConfirm(new MagazineCreated(stamp.Id, stamp.At, name, fromAddress, fromName));
        return Outcome<MagazineView>.Ok(State.ToView(MagazineId));
    }

    public Task<string> GetSilo() => Task.FromResult(RuntimeIdentity);

    public Task<MagazineView?> Get() => Task.FromResult(State.Exists ? State.ToView(MagazineId) : null);

    public async Task<Outcome<MagazineView>> Update(string? name, string? fromAddress, string? fromName, string? catchUp)
    {
        if (!State.Exists)
        {
            return NotFound();
        }

        if (StorySequence.ChangeSettings(State, name, fromAddress, fromName, catchUp, NewStamp()) is { } changed)
        {
            await RaiseAndConfirm(changed);
        }

        return Outcome<MagazineView>.Ok(State.ToView(MagazineId));
    }

    public async Task<Outcome<IReadOnlyList<StoryStep>>> SetSteps(IReadOnlyList<StoryDraft> stories)
    {
        if (!State.Exists)
        {
            return NotFound();
        }

        if (StorySequence.Replace(State, stories, NewStamp()) is { } set)
        {
            // Listed first, so the step scheduler is woken after a restart even when the event below is the last thing done.
            await GrainFactory.GetGrain<IDirectoryGrain>(IDirectoryGrain.StepMagazines).Add(this.GetPrimaryKeyString());
            await RaiseAndConfirm(set);
            await GrainFactory.GetGrain<IStepSchedulerGrain>(this.GetPrimaryKeyString()).Wake();
        }

        return Outcome<IReadOnlyList<StoryStep>>.Ok(StorySequence.Ordered(State.Steps));
    }

    public Task<IReadOnlyList<StoryStep>?> GetSteps() => Task.FromResult(State.Exists ? StorySequence.Ordered(State.Steps) : null);

    public Task<StepPlanView?> GetStepPlan() =>
        Task.FromResult(State.Exists ? new StepPlanView(StorySequence.Ordered(State.Steps), State.RescheduleDue ? State.StepsSetAt : null, State.CatchUp) : null);

    public async Task StepsRescheduled(DateTimeOffset through)
    {
        if (State.RescheduledThrough is not { } done || done < through)
        {
            var stamp = NewStamp();
            await RaiseAndConfirm(new MagazineStepsRescheduled(stamp.Id, stamp.At, through));
        }
    }

    private CommandError NotFound() => CommandError.NotFound($"no magazine '{MagazineId}'");
}
