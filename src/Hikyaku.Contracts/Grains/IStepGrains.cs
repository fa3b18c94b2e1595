using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Contracts.Grains;

/// <summary>
/// One step story of a magazine as lanes see it (a message): its content, and where its readers' results go (the
/// magazine's step scheduler). Key: <c>{tenantId}/{magazineId}/{storyId}</c>.
/// </summary>
[Alias("hikyaku.IStoryGrain")]
public interface IStoryGrain : IMessageGrain
{
}

/// <summary>
/// A magazine's step-mail scheduler, once in the cluster. Key: <c>{tenantId}/{magazineId}</c>. It reads the readers whose
/// next story is due from the subscriber projection, in due-time order, and hands them to the lanes; a reminder keeps it
/// running (or brings it back after a restart or a failover), and a sequence change has it reschedule every reader.
/// </summary>
[Alias("hikyaku.IStepSchedulerGrain")]
public interface IStepSchedulerGrain : IGrainWithStringKey
{
    /// <summary>Makes sure it runs (its magazine has a sequence, or a silo just started); one-way: the caller never waits on it.</summary>
    [Alias("Wake"), Orleans.Concurrency.OneWay]
    Task Wake();

    /// <summary>
    /// Results of a story's readers from the lanes; one-way: a lane records them while the scheduler may be waiting to hand
    /// that lane more readers, and a lost one only hands a reader again after its lease (its history keeps it from doubling).
    /// </summary>
    [Alias("StoryResults"), Orleans.Concurrency.OneWay]
    Task StoryResults(string storyId, IReadOnlyList<RecipientResult> results);

    [Alias("GetView")]
    Task<StepSchedulerView> GetView();
}

/// <param name="InFlight">Readers handed to lanes and not yet answered.</param>
/// <param name="Dispatched">Stories handed to lanes since this activation started (a reader handed again counts again).</param>
/// <param name="LagP50Ms">Due time to hand-over, median over the last hand-overs, in milliseconds.</param>
/// <param name="Rescheduling">A sequence change is being applied to every reader.</param>
[GenerateSerializer, Immutable, Alias("hikyaku.step-scheduler-view")]
public sealed record StepSchedulerView(
    [property: Id(0)] int InFlight,
    [property: Id(1)] long Dispatched,
    [property: Id(2)] double LagP50Ms,
    [property: Id(3)] double LagP99Ms,
    [property: Id(4)] bool Rescheduling,
    [property: Id(5)] string Silo);
