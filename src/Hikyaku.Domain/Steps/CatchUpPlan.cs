using Hikyaku.Contracts.Model;

namespace Hikyaku.Domain.Steps;

/// <summary>One story to send a released reader, and when.</summary>
/// <param name="CatchUp">True for a missed story sent again; false for a story of the remaining sequence.</param>
public sealed record PlannedStory(string StoryId, DateTimeOffset SendAt, bool CatchUp);

/// <summary>
/// What a reader released from a hold or an error stop at <c>now</c> is sent under the magazine's catch-up policy
/// (<see cref="CatchUpPolicies"/>): the missed stories (in sequence order, as <see cref="StepReplay.Missed"/> gives
/// them) and the stories still to come (with their due times), after <c>lost</c> without delivery.
/// </summary>
public static class CatchUpPlan
{
    /// <param name="missed">The stories that came due and were not delivered, in sequence order.</param>
    /// <param name="remaining">The stories not yet due, with their due times, in sequence order.</param>
    /// <param name="lost">How long the reader could not be delivered to (from the hold or stop to the release).</param>
    /// <exception cref="ArgumentOutOfRangeException">An unknown policy: the API accepts only the four.</exception>
    public static IReadOnlyList<PlannedStory> Plan(string policy, IReadOnlyList<MissedStory> missed, IReadOnlyList<(string StoryId, DateTimeOffset DueAt)> remaining, TimeSpan lost, DateTimeOffset now)
    {
        var asScheduled = remaining.Select(r => new PlannedStory(r.StoryId, r.DueAt, false));
        return policy switch
        {
            CatchUpPolicies.SendAllMissed => [.. missed.Select(m => new PlannedStory(m.StoryId, now, true)), .. asScheduled],
            CatchUpPolicies.LatestOnly => [.. missed.TakeLast(1).Select(m => new PlannedStory(m.StoryId, now, true)), .. asScheduled],
            // As if the reader had subscribed `lost` later: every story keeps its distance from the others. A missed story
            // whose shifted time has already passed goes now, never into the past.
            CatchUpPolicies.ShiftSchedule => [
                .. missed.Select(m => new PlannedStory(m.StoryId, Later(m.DueAt + lost, now), true)),
                .. remaining.Select(r => new PlannedStory(r.StoryId, r.DueAt + lost, false))],
            CatchUpPolicies.Skip => [.. asScheduled],
            _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "not a catch-up policy"),
        };
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
