using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Warmup;

namespace Hikyaku.Domain.SendingIps;

[GenerateSerializer]
public sealed class SendingIpState : IEventSourcedState<SendingIpEvent>
{
    [Id(0)] public string? TenantId { get; set; }

    [Id(1)] public DateTimeOffset? AssignedAt { get; set; }

    /// <summary>How many days of counts are kept (the newest day counted and the ones before it).</summary>
    public const int DaysKept = 31;

    /// <summary>Messages accepted per UTC day, oldest first; only the last <see cref="DaysKept"/> days.</summary>
    [Id(2)] public List<DailySent> Daily { get; set; } = [];

    /// <summary>The DNS block lists that listed the IP at the last check that changed anything.</summary>
    [Id(3)] public List<DnsblListing> Dnsbl { get; set; } = [];

    /// <summary>The IP-wide warm-up, when one runs: every site the IP has no position of its own toward starts from it.</summary>
    [Id(4)] public WarmupPosition? WarmingAll { get; set; }

    /// <summary>The warm-up position toward each provider site the IP sent to (or was restarted for) while warming.</summary>
    [Id(5)] public Dictionary<string, WarmupPosition> Warmup { get; set; } = [];

    /// <summary>Where the IP stands toward <paramref name="siteId"/>; null when it is not warming there.</summary>
    public WarmupPosition? PositionToward(string siteId) =>
        Warmup.TryGetValue(siteId, out var own) ? (own.Warm ? null : own) : WarmingAll;

    /// <summary>The IP's warm-up toward <paramref name="siteId"/> on <paramref name="today"/> under <paramref name="plan"/>.</summary>
    public WarmupStatus WarmupToward(string siteId, WarmupPlan plan, DateOnly today)
    {
        if (PositionToward(siteId) is not { } position)
        {
            return WarmupStatus.WarmToward(siteId, today);
        }

        var day = position.DayOn(today);
        return new WarmupStatus(siteId, day, plan.For(siteId).CapOn(day), position.SentOn(today), today, position.StartedAt);
    }

    /// <summary>
    /// The IP's warm-up as an operator reads it: each site it follows a curve toward (the sites it has a position for and,
    /// while the whole IP warms, every provider with a curve of its own), <c>warming</c> while any of them has a cap today.
    /// </summary>
    public WarmupView WarmupView(WarmupPlan plan, DateOnly today)
    {
        var sites = Warmup.Where(w => !w.Value.Warm).Select(w => w.Key)
            .Concat(WarmingAll is null ? [] : plan.Providers.Keys.Where(id => !Warmup.ContainsKey(id)))
            .Order(StringComparer.Ordinal);
        var providers = sites.Select(site => WarmupToward(site, plan, today)).ToList();
        var warming = providers.Any(p => p.Warming) || (WarmingAll is { } all && plan.Default.CapOn(all.DayOn(today)) is not null);
        return new WarmupView(warming ? Contracts.Model.WarmupView.Warming : Contracts.Model.WarmupView.Warm, providers);
    }

    /// <summary>What a check that found the IP on <paramref name="listedZones"/> (zone → answer codes) changes.</summary>
    public DnsblChange Compare(IReadOnlyDictionary<string, IReadOnlyList<string>> listedZones, DateTimeOffset now)
    {
        var listed = listedZones.OrderBy(z => z.Key, StringComparer.Ordinal)
            .Select(z => new DnsblListing(z.Key, z.Value, Dnsbl.FirstOrDefault(d => d.Zone == z.Key)?.Since ?? now, now))
            .ToList();
        var newly = listed.Where(l => Dnsbl.All(d => d.Zone != l.Zone)).Select(l => l.Zone).ToList();
        var cleared = Dnsbl.Where(d => !listedZones.ContainsKey(d.Zone)).Select(d => d.Zone).ToList();
        return new DnsblChange(listed, newly, cleared);
    }

    public int SentOn(DateOnly day) => Daily.FirstOrDefault(d => d.Date == day)?.Sent ?? 0;

    /// <summary>The counted days within <see cref="DaysKept"/> of <paramref name="today"/>, newest first.</summary>
    public IReadOnlyList<DailySent> Recent(DateOnly today) =>
        Daily.Where(d => d.Date <= today && d.Date > today.AddDays(-DaysKept)).Reverse().ToList();

    public void Apply(SendingIpEvent @event)
    {
        switch (@event)
        {
            case SendingIpAssigned e:
                TenantId = e.TenantId;
                AssignedAt = e.At;
                break;
            case SendingIpSentCounted e:
                Count(e.Day, e.Count);
                if (e.Site is { } site)
                {
                    CountToward(site, e.Day, e.Count);
                }

                break;
            case SendingIpWarmupStarted { Provider: null } e:
                WarmingAll = WarmupPosition.Start(e.Day, e.At);
                Warmup.Clear();
                break;
            case SendingIpWarmupStarted e:
                Warmup[e.Provider!] = WarmupPosition.Start(e.Day, e.At);
                break;
            case SendingIpWarmupEnded { Provider: null }:
                WarmingAll = null;
                Warmup.Clear();
                break;
            case SendingIpWarmupEnded e:
                if (WarmingAll is null)
                {
                    Warmup.Remove(e.Provider!);
                }
                else
                {
                    Warmup[e.Provider!] = new WarmupPosition { Warm = true, StartedAt = e.At };
                }

                break;
            case SendingIpDnsblChanged e:
                Dnsbl = [.. e.Listed];
                break;
            case SendingIpReleased:
                TenantId = null;
                AssignedAt = null;
                break;
            default:
                throw new InvalidOperationException($"SendingIpState cannot apply {@event.GetType().Name}");
        }
    }

    /// <summary>A site's count moves its warm-up on; the first count toward a site while the whole IP warms gives it its own position.</summary>
    private void CountToward(string siteId, DateOnly day, int count)
    {
        if (Warmup.TryGetValue(siteId, out var own))
        {
            if (!own.Warm)
            {
                own.Count(day, count);
            }
        }
        else if (WarmingAll is { } all)
        {
            var position = WarmupPosition.Start(all.StartDay, all.StartedAt);
            position.Count(day, count);
            Warmup[siteId] = position;
        }
    }

    private void Count(DateOnly day, int count)
    {
        var at = Daily.FindIndex(d => d.Date >= day);
        if (at >= 0 && Daily[at].Date == day)
        {
            Daily[at] = Daily[at] with { Sent = Daily[at].Sent + count };
        }
        else
        {
            Daily.Insert(at < 0 ? Daily.Count : at, new DailySent(day, count));
        }

        var newest = Daily[^1].Date;
        Daily.RemoveAll(d => d.Date <= newest.AddDays(-DaysKept));
    }
}
