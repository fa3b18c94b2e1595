using Hikyaku.Contracts.Model;

namespace Hikyaku.Contracts.Grains;

/// <summary>A magazine (mail-magazine list) of a tenant. Key: <c>{tenantId}/{magazineId}</c>.</summary>
[Alias("hikyaku.IMagazineGrain")]
public interface IMagazineGrain : IGrainWithStringKey
{
    [Alias("Create")]
    Task<Outcome<MagazineView>> Create(string name, string fromAddress, string? fromName);

    [Alias("Get")]
    Task<MagazineView?> Get();

    /// <summary>
    /// A partial update: each non-null argument replaces its setting (an event when anything changes). The caller has
    /// validated the values. Not found when the magazine does not exist.
    /// </summary>
    [Alias("Update")]
    Task<Outcome<MagazineView>> Update(string? name, string? fromAddress, string? fromName, string? catchUp);

    /// <summary>
    /// Replaces the step sequence (an event when it changes): a story whose id was already in it keeps when it was
    /// added. Answers the sequence in sending order; not found when the magazine does not exist.
    /// </summary>
    [Alias("SetSteps")]
    Task<Outcome<IReadOnlyList<StoryStep>>> SetSteps(IReadOnlyList<StoryDraft> stories);

    /// <summary>The step sequence in sending order (by delay, then position); null when the magazine does not exist.</summary>
    [Alias("GetSteps")]
    Task<IReadOnlyList<StoryStep>?> GetSteps();

    /// <summary>
    /// The sequence with the change every reader still has to be rescheduled against (null when none is pending); null
    /// when the magazine does not exist.
    /// </summary>
    [Alias("GetStepPlan")]
    Task<StepPlanView?> GetStepPlan();

    /// <summary>Every reader was rescheduled against the sequence set at <paramref name="through"/>.</summary>
    [Alias("StepsRescheduled")]
    Task StepsRescheduled(DateTimeOffset through);

    /// <summary>The silo this grain is active on (diagnostics: where a magazine lives when a silo goes).</summary>
    [Alias("GetSilo")]
    Task<string> GetSilo();
}
