using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

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
