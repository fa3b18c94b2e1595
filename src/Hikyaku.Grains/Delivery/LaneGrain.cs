using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Delivery;
using Hikyaku.Domain.Sites;
using Hikyaku.Domain.Validation;
using Hikyaku.Grains.Sites;
using Microsoft.Extensions.Logging;

namespace Hikyaku.Grains.Delivery;

/// <summary>
/// One sending IP toward one provider site. Asks the site before it sends (a blocked lane sends nothing, a probing
/// lane a few messages), paces sends with an adaptive throttle, keeps a few batches in flight on SMTP workers, has
/// the site judge every batch before any reader records it, retries deferred readers on a schedule, and moves held
/// readers to a clean IP of the tenant. Its queue lives in memory: the message re-dispatches readers whose results
/// never came back, and a reader's history refuses to count a message twice.
/// </summary>
public sealed partial class LaneGrain(IDeliveryRouter router, LaneOptions options, BlockOptions blocks, TimeProvider time, ILogger<LaneGrain> logger) : Grain, ILaneGrain
{
    /// <summary>How long the site's answer to "may I send?" is trusted before it is asked again.</summary>
    private static readonly TimeSpan GateFor = TimeSpan.FromSeconds(1);

    /// <summary>How often a blocked lane looks again for clean lanes to move its readers to.</summary>
    private static readonly TimeSpan RerouteEvery = TimeSpan.FromSeconds(5);

    private readonly PriorityQueue<DeliveryItem, DateTimeOffset> _queue = new();
    private readonly Queue<ReplyRecord> _lastReplies = new();

    // Readers queued or in flight here: a message that hands a reader out again (after a crash elsewhere)
    // must not make this lane send it twice at once.
    private readonly HashSet<(MessageKey Message, string Email)> _held = [];
    private readonly HashSet<(MessageKey Message, string Email)> _requeued = [];
    private LaneThrottle _throttle = null!;
    private IGrainTimer? _timer;
    private int _batchesInFlight;
    private LaneGate _gate = null!;
    private DateTimeOffset _gateAt;
    private DateTimeOffset _nextReroute;
    private long _epoch = 1;

    // The site said this lane probes (Wake): it keeps looking at its gate with nothing queued, for the seed probes.
    private bool _probeWake;

    // Slow start: until the provider has accepted something from this lane, one batch on one connection at a time, so a
    // lane that meets a block at once offers it few recipients (an explicit block answers every session it is offered).
    private bool _warm;

    // A tenant's relay lane: the relay's caps (per minute through the throttle, per UTC day counted here).
    private int? _relayPerDay;
    private int _relaySentToday;
    private int _relayInFlight;
    private DateOnly _relayDay;

    // The IP's warm-up toward this site: today's cap (none when warm) and what the site accepted today, counted here as
    // batches come back so the cap holds between looks at the IP's grain; messages in flight count against it too.
    private WarmupStatus? _warmup;
    private int _warmupInFlight;
    private DateTimeOffset _warmupAt;
    private DateTimeOffset _nextOverflow;

    private (string SiteId, string SourceIp) Key => LaneKeys.Split(this.GetPrimaryKeyString());

    private IRecipientDomainGrain Site => GrainFactory.GetGrain<IRecipientDomainGrain>(Key.SiteId);

    /// <summary>This is a tenant's relay lane (readers of every provider, through the relay), not a sending IP's.</summary>
    private bool Relay => Key.SiteId == LaneKeys.RelaySite;

    /// <summary>The lane sends from a sending IP of its own, which follows a warm-up curve toward the site.</summary>
    private bool Warms => !Relay && Key.SourceIp != LaneKeys.DefaultSource;

    private ISendingIpGrain Ip => GrainFactory.GetGrain<ISendingIpGrain>(Key.SourceIp);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _throttle = options.StartingThrottle(Key.SiteId, time.GetUtcNow());
        _gate = LaneGate.Open(Key.SourceIp);
        if (Relay)
        {
            await LoadRelayCaps();
        }
        else if (Warms)
        {
            SetWarmup(await Ip.WarmupToward(Key.SiteId), time.GetUtcNow());
        }

        await GrainFactory.GetGrain<ISiteDirectoryGrain>(ISiteDirectoryGrain.Key).LaneSeen(Key.SiteId, Key.SourceIp);
    }

    private async Task LoadRelayCaps()
    {
        var now = time.GetUtcNow();
        var relay = (await GrainFactory.GetGrain<ITenantGrain>(LaneKeys.RelayTenant(Key.SourceIp)).GetSendingSettings()).Relay;
        if (relay is { MaxPerMinute: > 0 })
        {
            // Rate plus the throttle's five-second burst stays within the relay's cap over any sixty seconds.
            var rate = relay.MaxPerMinute * 55.0 / 60;
            _throttle = new LaneThrottle(rate, rate, options.Concurrency, now);
        }

        _relayPerDay = relay is { MaxPerDay: > 0 } ? relay.MaxPerDay : null;
        _relayDay = DateOnly.FromDateTime(now.UtcDateTime);
        var counted = await GrainFactory.GetGrain<ISendingIpGrain>(Key.SourceIp).Get();
        _relaySentToday = counted.SentToday;
    }

    /// <summary>How many more messages the relay's daily cap lets through today (UTC); unlimited without one.</summary>
    private int RelayAllowance(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (today != _relayDay)
        {
            _relayDay = today;
            _relaySentToday = 0;
        }

        return _relayPerDay is { } cap ? Math.Max(0, cap - _relaySentToday) : int.MaxValue;
    }

    public Task Enqueue(IReadOnlyList<DeliveryItem> items)
    {
        foreach (var item in items)
        {
            if (_held.Add((item.Message, item.Email)))
            {
                _queue.Enqueue(item, item.NotBefore);
            }
        }

        EnsureTimer();
        return Task.CompletedTask;
    }

    public Task Wake()
    {
        _probeWake = true;
        _gateAt = default;
        EnsureTimer();
        return Task.CompletedTask;
    }

    public async Task<LaneView> GetView()
    {
        // The site's word, not this lane's last look at it: a block found through another lane (a reader refused here and
        // accepted there) reaches an idle lane only when it next has something to send.
        var gate = (await Site.Gates([Key.SourceIp]))[0];
        return new LaneView(
            Key.SourceIp, Key.SiteId, gate.Clean ? (_throttle.Throttled ? LaneStates.Throttled : LaneStates.Open) : gate.State,
            Math.Round(_throttle.Rate, 1), _throttle.Concurrency, _queue.Count, gate.BlockedUntil, _lastReplies.ToList());
    }

    private void EnsureTimer() =>
        _timer ??= this.RegisterGrainTimer(Pump, new GrainTimerCreationOptions(TimeSpan.Zero, TimeSpan.FromMilliseconds(20)) { KeepAlive = true });

    /// <summary>Starts as many batches as the site's gate, the throttle and the free connections allow.</summary>
    private async Task Pump(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if ((_queue.Count > 0 || _probeWake) && now - _gateAt >= GateFor)
        {
            SetGate(await Site.Gate(Key.SourceIp), now);
        }

        if (Warms && _queue.Count > 0 && now - _warmupAt >= GateFor)
        {
            SetWarmup(await Ip.WarmupToward(Key.SiteId), now);
        }

        if (_gate.State == LaneStates.Blocked)
        {
            // Blocked again (a probe met the block): the site wakes the lane when the cooldown ends.
            _probeWake = false;
            if (_batchesInFlight == 0 && now >= _nextReroute)
            {
                _nextReroute = now + RerouteEvery;
                await MoveReadyReaders(now);
            }
        }
        else
        {
            if (_warmup is { Warming: true } && now >= _nextOverflow)
            {
                await MoveOverCap(now);
            }

            var probing = _gate.State == LaneStates.Probing;
            var seed = probing ? UsableSeed() : null;
            _probeWake &= seed is not null;
            if (probing && _gate.ProbeBudget > 0 && _batchesInFlight == 0
                && SeedProbes.Next(seed is not null, seed?.Passed == true, CountReady(now, 1) > 0) == ProbeWith.Seed)
            {
                // The probe goes to the tenant's own mailbox: no reader is risked until the provider takes it.
                _gate = _gate with { ProbeBudget = 0 };
                _batchesInFlight++;
                _ = RunSeedProbe(seed!, _gate.BlockId!);
            }

            var maxBatches = probing || !_warm ? 1 : _throttle.Concurrency;
            while (_batchesInFlight < maxBatches && seed is not { Passed: false } && _queue.TryPeek(out _, out var due) && due <= now)
            {
                var ready = CountReady(now, probing ? Math.Min(_gate.ProbeBudget, options.BatchSize) : options.BatchSize);
                if (Relay)
                {
                    // In flight counts too: a batch's accepted messages are counted when it comes back.
                    ready = Math.Min(ready, Math.Max(0, RelayAllowance(now) - _relayInFlight));
                }
                else if (_warmup is { Warming: true })
                {
                    ready = Math.Min(ready, WarmupRoom);
                }

                var granted = probing ? ready : _throttle.Take(ready, now);
                if (granted == 0)
                {
                    break;
                }

                var batch = new List<DeliveryItem>(granted);
                while (batch.Count < granted && _queue.TryDequeue(out var item, out _))
                {
                    batch.Add(item);
                }

                _batchesInFlight++;
                _relayInFlight += Relay ? batch.Count : 0;
                _warmupInFlight += Warms ? batch.Count : 0;
                if (probing)
                {
                    // One probe batch at a time, and the site is asked again before the next.
                    _gate = _gate with { ProbeBudget = 0 };
                }

                _ = RunBatch(batch, _epoch);
            }
        }

        if (_queue.Count == 0 && _batchesInFlight == 0 && !_probeWake)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void SetGate(LaneGate gate, DateTimeOffset now)
    {
        _gate = gate;
        _gateAt = now;
        if (gate.RateCeilingPerMinute is { } ceiling && gate.State == LaneStates.Probing)
        {
            _throttle.SetCeiling(Math.Min(ceiling, options.InitialRatePerMinute));
        }
    }

    private int CountReady(DateTimeOffset now, int max)
    {
        // The queue is ordered by due time, so the ready items are its head; count them without dequeuing.
        var ready = 0;
        foreach (var (_, due) in _queue.UnorderedItems)
        {
            if (due <= now && ++ready >= max)
            {
                break;
            }
        }

        return ready;
    }

    private async Task RunBatch(List<DeliveryItem> batch, long epoch)
    {
        try
        {
            foreach (var group in batch.GroupBy(i => (i.TenantId, i.MagazineId, i.Message, Domain: EmailAddress.DomainOf(i.Email))))
            {
                await Deliver(group.Key.TenantId, group.Key.MagazineId, group.Key.Message, group.Key.Domain, group.ToList(), epoch);
            }
        }
        catch (Exception e)
        {
            // A bug or a broken dependency: put the readers back and try later rather than lose them.
            LogBatchFailed(logger, this.GetPrimaryKeyString(), batch.Count, e);
            foreach (var item in batch)
            {
                Requeue(item, time.GetUtcNow() + options.Schedule.DelayAfter(0));
            }
        }
        finally
        {
            foreach (var item in batch)
            {
                if (!_requeued.Remove((item.Message, item.Email)))
                {
                    _held.Remove((item.Message, item.Email));
                }
            }

            _batchesInFlight--;
            _relayInFlight -= Relay ? batch.Count : 0;
            _warmupInFlight -= Warms ? batch.Count : 0;
            EnsureTimer();
        }
    }

    /// <summary>Puts a reader of a running batch back in the queue; it stays held by this lane.</summary>
    private void Requeue(DeliveryItem item, DateTimeOffset due)
    {
        _requeued.Add((item.Message, item.Email));
        _queue.Enqueue(item with { NotBefore = due }, due);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Lane {Lane}: a batch of {Count} failed; requeued")]
    private static partial void LogBatchFailed(ILogger logger, string lane, int count, Exception exception);
}
