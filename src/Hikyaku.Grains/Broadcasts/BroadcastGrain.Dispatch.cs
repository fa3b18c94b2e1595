using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Validation;
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

    // Domains already told to the site directory by this activation.
    private readonly HashSet<string> _domainsReported = new(StringComparer.Ordinal);
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

        handOut.AddRange(StaleReaders(now));
        await HandOut(handOut);
    }

    private IEnumerable<DeliveryItem> StaleReaders(DateTimeOffset now)
    {
        for (var p = 0; p < Math.Min(_cursorPage, State.Pages.Count); p++)
        {
            if (now - _lastActivity[p] < StaleAfter)
            {
                continue;
            }

            _lastActivity[p] = now;
            for (var i = 0; i < State.Pages[p].Count; i++)
            {
                if (State.IsOpen(p, i))
                {
                    yield return Item(p, i);
                }
            }
        }
    }

    private DeliveryItem Item(int page, int index) =>
        new(Key.TenantId, State.Content!.MagazineId, MessageKey.Broadcast(Key.BroadcastId), State.Pages[page][index], page, index, 0, Time.GetUtcNow());

    private async Task HandOut(List<DeliveryItem> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        var lanes = new Dictionary<string, List<DeliveryItem>>(StringComparer.Ordinal);
        var domainsBySite = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var bySite = new Dictionary<string, List<DeliveryItem>>(StringComparer.Ordinal);
        foreach (var byDomain in items.GroupBy(i => EmailAddress.DomainOf(i.Email)))
        {
            var route = await router.RouteAsync(byDomain.Key);
            if (_domainsReported.Add(byDomain.Key))
            {
                (domainsBySite.TryGetValue(route.SiteId, out var seen) ? seen : domainsBySite[route.SiteId] = []).Add(byDomain.Key);
            }

            (bySite.TryGetValue(route.SiteId, out var list) ? list : bySite[route.SiteId] = []).AddRange(byDomain);
        }

        // Each reader's lane: a sending IP of the pool that is clean for its provider (rotation); when none is, the tenant's
        // relay; without one, the lane it would have had, where it waits (held) for the probe.
        var pool = State.SourceIps.Count > 0 ? State.SourceIps : [LaneKeys.DefaultSource];
        var routing = new LaneRouting(GrainFactory);
        foreach (var (site, siteItems) in bySite)
        {
            var chosen = await routing.Place(Key.TenantId, site, pool, siteItems.Select(i => i.Email).ToList());
            for (var i = 0; i < siteItems.Count; i++)
            {
                var lane = chosen[i] ?? LaneRouting.Fallback(site, pool, siteItems[i].Email);
                (lanes.TryGetValue(lane, out var list) ? list : lanes[lane] = []).Add(siteItems[i]);
            }
        }

        await Task.WhenAll(lanes.Select(l => GrainFactory.GetGrain<ILaneGrain>(l.Key).Enqueue(l.Value)));
        var directory = GrainFactory.GetGrain<ISiteDirectoryGrain>(ISiteDirectoryGrain.Key);
        foreach (var (site, domains) in domainsBySite)
        {
            await directory.DomainsSeen(site, domains); // one-way: costs the broadcast no round trip
        }
    }
}
