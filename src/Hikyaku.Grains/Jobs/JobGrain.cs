using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Jobs;
using Hikyaku.EventStore;
using Hikyaku.Grains.Delivery;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.Jobs;

/// <summary>
/// Resends the missed step stories of a magazine's readers in the background: counts the matching readers, then goes
/// through them in address order a page per tick, asking each reader to queue what it missed. Each page is an event
/// (the last address and the counts), so after a crash the job resumes after the last page; a reader asked twice queues
/// nothing the second time (its history keeps every story to once).
/// </summary>
public sealed class JobGrain(EventSourcingServices services, IDeliveryRouter router) : EventSourcedGrain<JobState, JobEvent>(services), IJobGrain, IRemindable
{
    private const int PageSize = 200;
    private BackgroundTick? _tick;
    private HashSet<string>? _blockReaders;

    private (string TenantId, string JobId) Key => GrainKeys.SplitTenant(this.GetPrimaryKeyString());

    protected override string StreamId => $"job:{this.GetPrimaryKeyString()}";

    public async Task<Outcome<JobView>> StartResendMissed(string magazineId, string? status, string? provider, string? blockId)
    {
        if (State.Exists)
        {
            return CommandError.Conflict($"job '{Key.JobId}' already exists");
        }

        var stamp = NewStamp();
        await RaiseAndConfirm(new ResendMissedJobStarted(stamp.Id, stamp.At, magazineId, status, provider, blockId));
        await Ticks.Start();
        return Outcome<JobView>.Ok(State.ToView(Key.JobId));
    }

    public Task<JobView?> Get() => Task.FromResult(State.Exists ? State.ToView(Key.JobId) : null);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        EnsureTimer();
        return Task.CompletedTask;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        if (State.Exists && State.FinishedAt is null)
        {
            EnsureTimer();
        }
    }

    private BackgroundTick Ticks => _tick ??= new BackgroundTick(this, "resume-job", Tick, TimeSpan.FromMilliseconds(100));

    private void EnsureTimer() => Ticks.Ensure();

    private async Task Tick(CancellationToken cancellationToken)
    {
        if (State.FinishedAt is not null)
        {
            await Stop();
            return;
        }

        if (State.Total is null)
        {
            var total = 0;
            string? after = null;
            while (await Page(after) is { Rows.Count: > 0 } page)
            {
                total += page.Matching.Count;
                after = page.Rows[^1].Email;
            }

            var counted = NewStamp();
            await RaiseAndConfirm(new JobCounted(counted.Id, counted.At, total));
            return;
        }

        var next = await Page(State.After);
        if (next.Rows.Count == 0)
        {
            var stamp = NewStamp();
            await RaiseAndConfirm(new JobFinished(stamp.Id, stamp.At));
            await Stop();
            return;
        }

        var outcomes = await Task.WhenAll(next.Matching.Select(r =>
            GrainFactory.GetGrain<ISubscriberGrain>(GrainKeys.Reader(Key.TenantId, State.MagazineId!, r.Email)).ResendMissed()));
        var done = outcomes.Count(o => o.Succeeded);
        var progressed = NewStamp();
        await RaiseAndConfirm(new JobProgressed(progressed.Id, progressed.At, next.Rows[^1].Email, done, outcomes.Length - done));
    }

    /// <summary>The next page of the magazine's readers after <paramref name="after"/>, and those of them the job's filter keeps.</summary>
    private async Task<(IReadOnlyList<SubscriberRow> Rows, IReadOnlyList<SubscriberRow> Matching)> Page(string? after)
    {
        var rows = await Services.Store.Subscribers.PageAsync(Key.TenantId, State.MagazineId!, State.Status is { } s ? [s] : null, after, PageSize);
        if (State.BlockId is { } blockId && _blockReaders is null)
        {
            var dot = blockId.LastIndexOf('.');
            var readers = dot > 0 ? await GrainFactory.GetGrain<IRecipientDomainGrain>(blockId[..dot]).BlockReaders(blockId, Key.TenantId) : [];
            _blockReaders = readers.ToHashSet(StringComparer.Ordinal);
        }

        var matching = new List<SubscriberRow>(rows.Count);
        foreach (var row in rows)
        {
            if (row.Status == SubscriberStatus.Unsubscribed && State.Status is null)
            {
                continue; // a reader who left is owed nothing
            }

            if (_blockReaders is not null && !_blockReaders.Contains(GrainKeys.Reader(Key.TenantId, State.MagazineId!, row.Email)))
            {
                continue;
            }

            if (State.Provider is { } provider && (await router.RouteAsync(row.Domain)).SiteId != provider)
            {
                continue;
            }

            matching.Add(row);
        }

        return (rows, matching);
    }

    private Task Stop() => Ticks.Stop();
}
