using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Grains.Delivery;

namespace Hikyaku.Grains.Broadcasts;

public sealed partial class BroadcastGrain
{
    /// <summary>Readers handed out and not yet answered, at most: the lanes' work in flight.</summary>
    private const int Window = 5000;

    /// <summary>A page whose readers have gone this long without any result is handed out again.</summary>
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);

    private int _cursorPage;
    private int _cursorIndex;
    private int _passed;
    private DateTimeOffset[] _lastActivity = [];

    // When a silo leaves the cluster, the lanes it ran lost their queues, and every reader handed out and still open is
    // handed out again (lanes still holding one ignore it).
    private SiloLossWatch? _siloWatch;

    private LaneHandOut? _handOut;
    private DateTimeOffset _nextBatchAt;

    /// <summary>Hands the next readers to their lanes, within the window and the tenant's batch setting.</summary>
    private async Task Dispatch()
    {
        var now = Time.GetUtcNow();
        if (_lastActivity.Length < State.Pages.Count)
        {
            Array.Resize(ref _lastActivity, State.Pages.Count);
        }

        var handOut = new List<DeliveryItem>();
        var budget = Math.Max(0, Window - (_passed - State.Finished - State.Deferred));
        var settings = await GrainFactory.GetGrain<ITenantGrain>(Key.TenantId).GetSendingSettings();
        if (settings.BatchInterval > TimeSpan.Zero)
        {
            // 一斉送信数 / 待機時間: at most BatchSize readers, then wait BatchInterval.
            budget = now < _nextBatchAt ? 0 : Math.Min(budget, settings.BatchSize);
        }

        while (budget > 0 && _cursorPage < State.Pages.Count)
        {
            var page = State.Pages[_cursorPage];
            if (_cursorIndex >= page.Count)
            {
                _cursorPage++;
                _cursorIndex = 0;
                continue;
            }

            if (State.IsOpen(_cursorPage, _cursorIndex))
            {
                handOut.Add(Item(_cursorPage, _cursorIndex));
                budget--;
            }

            _lastActivity[_cursorPage] = now;
            _cursorIndex++;
            _passed++;
        }

        if (handOut.Count > 0 && settings.BatchInterval > TimeSpan.Zero)
        {
            _nextBatchAt = now + settings.BatchInterval;
        }

        _siloWatch ??= new SiloLossWatch(membership);
        handOut.AddRange(_siloWatch.SiloLost() ? OpenPassedReaders(now) : StaleReaders(now));
        _handOut ??= new LaneHandOut(GrainFactory, router);
        await _handOut.HandOut(Key.TenantId, State.SourceIps, handOut);
    }

    /// <summary>Every reader handed out so far that has no final result yet.</summary>
    private IEnumerable<DeliveryItem> OpenPassedReaders(DateTimeOffset now)
    {
        for (var p = 0; p <= Math.Min(_cursorPage, State.Pages.Count - 1); p++)
        {
            foreach (var item in OpenReaders(p, p < _cursorPage ? State.Pages[p].Count : _cursorIndex, now))
            {
                yield return item;
            }
        }
    }

    private IEnumerable<DeliveryItem> StaleReaders(DateTimeOffset now)
    {
        for (var p = 0; p < Math.Min(_cursorPage, State.Pages.Count); p++)
        {
            if (now - _lastActivity[p] >= StaleAfter)
            {
                foreach (var item in OpenReaders(p, State.Pages[p].Count, now))
                {
                    yield return item;
                }
            }
        }
    }

    /// <summary>The readers of page <paramref name="page"/> before <paramref name="end"/> without a final result; the page counts as active now.</summary>
    private IEnumerable<DeliveryItem> OpenReaders(int page, int end, DateTimeOffset now)
    {
        _lastActivity[page] = now;
        for (var i = 0; i < end; i++)
        {
            if (State.IsOpen(page, i))
            {
                yield return Item(page, i);
            }
        }
    }

    private DeliveryItem Item(int page, int index) =>
        new(Key.TenantId, State.Content!.MagazineId, MessageKey.Broadcast(Key.BroadcastId), State.Pages[page][index], page, index, 0, Time.GetUtcNow());
}
