using System.Collections.Concurrent;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Grains.Steps;

/// <summary>
/// Each magazine's step sequence as this silo last read it, for at most <see cref="Fresh"/>: a reader subscribing or
/// recording a story's result asks for it, and a million readers must not each ask the magazine's grain. A change
/// reaches every reader anyway: the scheduler reschedules the whole magazine after <see cref="Fresh"/> has passed.
/// </summary>
public sealed class StepSequences(IGrainFactory grains, TimeProvider time)
{
    /// <summary>How long a sequence read from the magazine is used before it is read again.</summary>
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);

    private static readonly StepPlanView None = new([], null);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, Task<StepPlanView> Plan)> _cache = new(StringComparer.Ordinal);

    /// <summary>The sequence in sending order (empty when the magazine has none or does not exist).</summary>
    public async Task<IReadOnlyList<StoryStep>> Get(string tenantId, string magazineId) => (await GetPlan(tenantId, magazineId)).Steps;

    /// <summary>The sequence and the magazine's catch-up policy.</summary>
    public Task<StepPlanView> GetPlan(string tenantId, string magazineId)
    {
        var key = GrainKeys.Magazine(tenantId, magazineId);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var entry) && now - entry.At < Fresh && !entry.Plan.IsFaulted)
        {
            return entry.Plan;
        }

        var read = Read(key);
        _cache[key] = (now, read);
        return read;
    }

    private async Task<StepPlanView> Read(string key) => await grains.GetGrain<IMagazineGrain>(key).GetStepPlan() ?? None;
}
