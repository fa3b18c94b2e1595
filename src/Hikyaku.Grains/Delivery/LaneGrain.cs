using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Delivery;
using Hikyaku.Domain.Validation;
using Microsoft.Extensions.Logging;

namespace Hikyaku.Grains.Delivery;

/// <summary>
/// One sending IP toward one provider site. Paces sends with an adaptive throttle, keeps a few batches in
/// flight on SMTP workers, retries deferred readers on a schedule, and sends every outcome to the reader's
/// history and the broadcast's counters. Its queue lives in memory: the broadcast re-dispatches readers whose
/// results never came back, and a reader's history refuses to count a message twice.
/// </summary>
public sealed partial class LaneGrain(IDeliveryRouter router, LaneOptions options, TimeProvider time, ILogger<LaneGrain> logger) : Grain, ILaneGrain
{
    private readonly PriorityQueue<DeliveryItem, DateTimeOffset> _queue = new();
    private readonly Queue<ReplyRecord> _lastReplies = new();

    // Readers queued or in flight here: a broadcast that hands a reader out again (after a crash elsewhere)
    // must not make this lane send it twice at once.
    private readonly HashSet<(MessageKey Message, string Email)> _held = [];
    private readonly HashSet<(MessageKey Message, string Email)> _requeued = [];
    private LaneThrottle _throttle = null!;
    private IGrainTimer? _timer;
    private int _batchesInFlight;

    private (string SiteId, string SourceIp) Key => LaneKeys.Split(this.GetPrimaryKeyString());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _throttle = options.StartingThrottle(Key.SiteId, time.GetUtcNow());
        return GrainFactory.GetGrain<ISiteDirectoryGrain>(ISiteDirectoryGrain.Key).LaneSeen(Key.SiteId, Key.SourceIp);
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

    public Task<LaneView> GetView() => Task.FromResult(new LaneView(
        Key.SourceIp, Key.SiteId, _throttle.Throttled ? "throttled" : "open", Math.Round(_throttle.Rate, 1), _throttle.Concurrency,
        _queue.Count, null, _lastReplies.ToList()));

    private void EnsureTimer() =>
        _timer ??= this.RegisterGrainTimer(Pump, new GrainTimerCreationOptions(TimeSpan.Zero, TimeSpan.FromMilliseconds(20)) { KeepAlive = true });

    /// <summary>Starts as many batches as the throttle and the free connections allow.</summary>
    private Task Pump(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        while (_batchesInFlight < _throttle.Concurrency && _queue.TryPeek(out _, out var due) && due <= now)
        {
            var ready = CountReady(now, options.BatchSize);
            var granted = _throttle.Take(ready, now);
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
            _ = RunBatch(batch);
        }

        if (_queue.Count == 0 && _batchesInFlight == 0)
        {
            _timer?.Dispose();
            _timer = null;
        }

        return Task.CompletedTask;
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

    private async Task RunBatch(List<DeliveryItem> batch)
    {
        try
        {
            foreach (var group in batch.GroupBy(i => (i.TenantId, i.MagazineId, i.Message, Domain: EmailAddress.DomainOf(i.Email))))
            {
                await Deliver(group.Key.TenantId, group.Key.MagazineId, group.Key.Message, group.Key.Domain, group.ToList());
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
