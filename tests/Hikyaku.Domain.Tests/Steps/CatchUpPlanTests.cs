using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Steps;

namespace Hikyaku.Domain.Tests.Steps;

/// <summary>What a reader released after three days held gets under each catch-up policy.</summary>
public class CatchUpPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lost = TimeSpan.FromDays(3);

    private static readonly MissedStory[] Missed =
    [
        new("day1", Now.AddDays(-2), MissedReasons.Held, "microsoft.1"),
        new("day2", Now.AddDays(-1), MissedReasons.Held, "microsoft.1"),
    ];

    private static readonly (string, DateTimeOffset)[] Remaining = [("day4", Now.AddDays(1)), ("day7", Now.AddDays(4))];

    private static string Plan(string policy) =>
        string.Join(", ", CatchUpPlan.Plan(policy, Missed, Remaining, Lost, Now).Select(p => $"{p.StoryId}@{(p.SendAt - Now).TotalDays:+0;-0;0}d{(p.CatchUp ? "*" : "")}"));

    [Fact]
    public void Send_all_missed_sends_every_missed_story_now_in_sequence_order_and_keeps_the_rest_on_schedule() =>
        Assert.Equal("day1@0d*, day2@0d*, day4@+1d, day7@+4d", Plan(CatchUpPolicies.SendAllMissed));

    [Fact]
    public void Latest_only_sends_only_the_latest_missed_story() =>
        Assert.Equal("day2@0d*, day4@+1d, day7@+4d", Plan(CatchUpPolicies.LatestOnly));

    [Fact]
    public void Shift_schedule_moves_every_story_later_by_the_time_lost_and_never_into_the_past() =>
        // day1 was due 2 days ago: +3 days is tomorrow; day2 the day after; the rest 3 days later than planned.
        Assert.Equal("day1@+1d*, day2@+2d*, day4@+4d, day7@+7d", Plan(CatchUpPolicies.ShiftSchedule));

    [Fact]
    public void Shift_schedule_sends_a_story_whose_shifted_time_has_passed_now()
    {
        var plan = CatchUpPlan.Plan(CatchUpPolicies.ShiftSchedule, [new("old", Now.AddDays(-10), MissedReasons.Held)], [], Lost, Now);
        Assert.Equal(Now, Assert.Single(plan).SendAt);
    }

    [Fact]
    public void Skip_sends_no_missed_story_and_keeps_the_rest_on_schedule() =>
        Assert.Equal("day4@+1d, day7@+4d", Plan(CatchUpPolicies.Skip));

    [Fact]
    public void Nothing_missed_is_nothing_to_catch_up_under_any_policy() =>
        Assert.All(CatchUpPolicies.All, p => Assert.DoesNotContain(CatchUpPlan.Plan(p, [], Remaining, Lost, Now), s => s.CatchUp));

    [Fact]
    public void An_unknown_policy_is_a_bug_not_a_plan() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CatchUpPlan.Plan("send-some", Missed, Remaining, Lost, Now));
}
