using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.EventStore;
using Hikyaku.Grains.Delivery;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.Steps;

/// <summary>
/// A magazine's step-mail scheduler. Each reader's next story and its due time live in the subscriber projection, written
/// with the reader's events (a story's final result schedules the next one in the same append), so the schedule is as
/// durable as the history and nothing here needs saving: every tick reads the readers due by now, in due-time order, and
/// hands them to the lanes. A reader handed out is leased in memory until its story has a final result; a lease that
/// outlives <see cref="LeaseFor"/> (unless its lane holds the reader for a block), a silo leaving the cluster (its lanes' queues went with it) or a new activation hands
/// the reader out again, and the reader's history keeps the story from counting twice. After downtime, what came due
/// meanwhile is simply due: it goes on the first tick. A sequence change reschedules every reader in the background.
/// </summary>
public sealed class StepSchedulerGrain(EventSourcingServices services, IDeliveryRouter router, IClusterMembershipService membership)
    : Grain, IStepSchedulerGrain, IRemindable
{
    /// <summary>Readers handed out and not yet answered, at most: the lanes' step work in flight for this magazine.</summary>
    private const int Window = 5000;

    private const int PageSize = 1000;

    /// <summary>Readers rescheduled per tick while a sequence change is applied.</summary>
    private const int ReschedulePage = 500;

    private const int LagsKept = 20_000;

    private const string TickReminder = "step-tick";

    private static readonly TimeSpan TickEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the whole due range is read again from its start (not only what came due after the last read).</summary>
    private static readonly TimeSpan RescanEvery = TimeSpan.FromSeconds(2);

    /// <summary>A reader handed out whose story has had no answer for this long is handed out again.</summary>
    private static readonly TimeSpan LeaseFor = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan PlanCheckEvery = TimeSpan.FromSeconds(10);

    private readonly Dictionary<(string Email, string Story), Lease> _inFlight = [];
    private readonly Dictionary<int, (string Email, string Story)> _byHandle = [];
    private readonly double[] _lags = new double[LagsKept];
    private int _lagCount;
    private int _nextHandle;
    private long _dispatched;
    private IGrainTimer? _timer;
    private LaneHandOut? _handOut;
    private readonly SiloLossWatch _siloWatch = new(membership);
    private (DateTimeOffset? Due, string? Email) _cursor;
    private DateTimeOffset _rescanAt;
    private IReadOnlyList<string> _pool = [];
    private DateTimeOffset _poolAt;
    private DateTimeOffset _planCheckAt;
    private bool _hasSteps = true;
    private Reschedule? _reschedule;
    private DateTimeOffset _doneThrough;
    private bool _reminderHeld;
    private (DateTimeOffset At, IReadOnlyList<StoryStep> Sequence)? _secondPass;

    /// <param name="Held">The lane answered that the reader waits, held by a block: the story is in that lane's queue until the
    /// block ends or the hold expires, so the lease lasts as long (handed out again, it would wait in two lanes and go out twice).</param>
    private sealed record Lease(int Handle, DateTimeOffset HandedAt, bool Held = false);

    /// <param name="Record">Whether this pass records the change as applied (the first); a second pass, a little later, only
    /// catches readers who decided with the sequence a silo read just before the change (<see cref="StepSequences.Fresh"/>).</param>
    private sealed class Reschedule(DateTimeOffset through, IReadOnlyList<StoryStep> sequence, bool record)
    {
        public DateTimeOffset Through { get; } = through;

        public bool Record { get; } = record;

        public IReadOnlyList<StoryStep> Sequence { get; } = sequence;

        public string? After { get; set; }

        public int Readers { get; set; }
    }

    private (string TenantId, string MagazineId) Key => GrainKeys.SplitTenant(this.GetPrimaryKeyString());

    private TimeProvider Time => services.Time;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        EnsureTimer();
        return Task.CompletedTask;
    }

    public Task Wake()
    {
        _hasSteps = true;
        _planCheckAt = Time.GetUtcNow();
        EnsureTimer();
        return Task.CompletedTask;
    }

    /// <summary>The reminder that brings the scheduler back after a restart or a failover, registered from the tick (retried until it holds).</summary>
    private async Task KeepReminder()
    {
        try
        {
            if (await this.GetReminder(TickReminder) is null)
            {
                await this.RegisterOrUpdateReminder(TickReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            }

            _reminderHeld = true;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or InvalidOperationException)
        {
            // The reminder service is not ready yet (a silo starting) or its table is away: the next tick tries again.
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        EnsureTimer();
        return Task.CompletedTask;
    }

    public Task StoryResults(string storyId, IReadOnlyList<RecipientResult> results)
    {
        var now = Time.GetUtcNow();
        foreach (var r in results)
        {
            if (!_byHandle.TryGetValue(r.Index, out var key) || key.Story != storyId)
            {
                continue; // handed out by an earlier activation: the reader's own record decides what comes next
            }

            if (RecipientResults.IsFinal(r.Result))
            {
                _byHandle.Remove(r.Index);
                _inFlight.Remove(key);
            }
            else
            {
                _inFlight[key] = new Lease(r.Index, now, r.Result == RecipientResults.Held); // still with a lane (deferred, held): it answered
            }
        }

        return Task.CompletedTask;
    }

    public Task<StepSchedulerView> GetView()
    {
        var lags = _lags.AsSpan(0, Math.Min(_lagCount, LagsKept)).ToArray();
        Array.Sort(lags);
        return Task.FromResult(new StepSchedulerView(_inFlight.Count, _dispatched, Percentile(lags, 0.50), Percentile(lags, 0.99), _reschedule is not null, RuntimeIdentity));
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    // KeepAlive: the scheduler's leases are in memory; an idle collection would only cost a re-hand, but a magazine with a
    // sequence always has a next tick to run.
    private void EnsureTimer() =>
        _timer ??= this.RegisterGrainTimer(Tick, new GrainTimerCreationOptions(TimeSpan.Zero, TickEvery) { KeepAlive = true });

    private async Task Tick(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        if (!_reminderHeld && _hasSteps)
        {
            await KeepReminder();
        }

        if (now >= _planCheckAt)
        {
            await CheckPlan(now);
        }

        if (_reschedule is not null)
        {
            await RescheduleSome();
        }

        if (!_hasSteps && _inFlight.Count == 0 && _reschedule is null)
        {
            await Stop();
            return;
        }

        ExpireLeases(now);
        await Dispatch(now);
    }

    private async Task Stop()
    {
        _timer?.Dispose();
        _timer = null;
        _reminderHeld = false;
        if (await this.GetReminder(TickReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>Whether the magazine still has a sequence, and whether a change of it must still reach every reader.</summary>
    private async Task CheckPlan(DateTimeOffset now)
    {
        _planCheckAt = now + PlanCheckEvery;
        var plan = await GrainFactory.GetGrain<IMagazineGrain>(this.GetPrimaryKeyString()).GetStepPlan();
        _hasSteps = plan is { Steps.Count: > 0 };
        if (plan?.RescheduleDue is { } due && due > _doneThrough && (_reschedule is null || _reschedule.Through < due))
        {
            // At once, so readers are on the new sequence within moments of the change. Readers deciding on their own in the
            // meantime (a subscription, a story's result) may have read the sequence from before it (StepSequences keeps it up
            // to a second): a second pass after that second catches them, without recording anything more.
            _reschedule = new Reschedule(due, plan.Steps, record: true);
            _secondPass = now - due < StepSequences.Fresh ? (due + StepSequences.Fresh + TimeSpan.FromMilliseconds(200), plan.Steps) : null;
        }
        else if (_reschedule is null && _secondPass is { } second && now >= second.At)
        {
            _reschedule = new Reschedule(_doneThrough, second.Sequence, record: false);
            _secondPass = null;
        }

        if (_secondPass is { } pending)
        {
            _planCheckAt = pending.At < _planCheckAt ? pending.At : _planCheckAt;
        }
    }

    private async Task RescheduleSome()
    {
        var pass = _reschedule!;
        var rows = await services.Store.Subscribers.PageAsync(
            Key.TenantId, Key.MagazineId, [SubscriberStatus.Active, SubscriberStatus.Held, SubscriberStatus.ErrorStopped], pass.After, ReschedulePage);
        await Task.WhenAll(rows.Select(r => GrainFactory.GetGrain<ISubscriberGrain>(GrainKeys.Reader(Key.TenantId, Key.MagazineId, r.Email)).Reschedule(pass.Sequence)));
        pass.Readers += rows.Count;
        if (rows.Count < ReschedulePage)
        {
            // Recorded so a restart need not wake every reader again; a magazine without readers has nothing to record
            // (the pass is one empty read, done again at the next look).
            if (pass.Record && pass.Readers > 0)
            {
                await GrainFactory.GetGrain<IMagazineGrain>(this.GetPrimaryKeyString()).StepsRescheduled(pass.Through);
            }

            _doneThrough = pass.Through;
            _reschedule = null;
            _rescanAt = default;
            return;
        }

        pass.After = rows[^1].Email;
    }

    /// <summary>Leases past <see cref="LeaseFor"/> end; all of them when a silo left the cluster (its lanes lost their queues).</summary>
    private void ExpireLeases(DateTimeOffset now)
    {
        var siloLost = _siloWatch.SiloLost();
        var expired = _inFlight.Where(l => siloLost || (!l.Value.Held && now - l.Value.HandedAt >= LeaseFor)).ToList();
        foreach (var (key, lease) in expired)
        {
            _inFlight.Remove(key);
            _byHandle.Remove(lease.Handle);
        }

        if (expired.Count > 0)
        {
            _rescanAt = default;
        }
    }

    /// <summary>Hands the readers due by now that are not in flight to their lanes, within the window.</summary>
    private async Task Dispatch(DateTimeOffset now)
    {
        if (now >= _rescanAt)
        {
            _cursor = default;
            _rescanAt = now + RescanEvery;
        }

        var items = new List<DeliveryItem>();
        var budget = Window - _inFlight.Count;
        while (budget > 0)
        {
            var rows = await services.Store.Subscribers.DueStepsAsync(Key.TenantId, Key.MagazineId, now, _cursor.Due, _cursor.Email, PageSize);
            foreach (var row in rows)
            {
                var key = (row.Email, row.StepStory!);
                if (budget == 0 || _inFlight.ContainsKey(key))
                {
                    continue;
                }

                var handle = ++_nextHandle;
                _inFlight[key] = new Lease(handle, now);
                _byHandle[handle] = key;
                items.Add(new DeliveryItem(Key.TenantId, Key.MagazineId, MessageKey.Story(row.StepStory!), row.Email, 0, handle, 0, now));
                _lags[_lagCount++ % LagsKept] = Math.Max(0, (now - row.StepDueAt!.Value).TotalMilliseconds);
                budget--;
            }

            if (rows.Count > 0 && budget > 0)
            {
                _cursor = (rows[^1].StepDueAt, rows[^1].Email);
            }

            if (rows.Count < PageSize)
            {
                break;
            }
        }

        if (items.Count == 0)
        {
            return;
        }

        _dispatched += items.Count;
        if (now >= _poolAt)
        {
            _pool = (await GrainFactory.GetGrain<ITenantGrain>(Key.TenantId).Get())?.Ips ?? [];
            _poolAt = now + TimeSpan.FromSeconds(5);
        }

        _handOut ??= new LaneHandOut(GrainFactory, router);
        await _handOut.HandOut(Key.TenantId, _pool, items);
    }
}
