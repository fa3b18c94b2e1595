using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Magazines;
using Hikyaku.Domain.Steps;

namespace Hikyaku.Domain.Tests.Steps;

/// <summary>Replacing a magazine's sequence and changing its settings.</summary>
public class StorySequenceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static EventStamp Stamp(double hours) => new(Guid.NewGuid(), T0.AddHours(hours));

    private static StoryDraft Draft(string id, double afterHours, string subject = "s") => new(id, TimeSpan.FromHours(afterHours), subject, "text", null, false);

    private static MagazineState Magazine()
    {
        var state = new MagazineState();
        state.Apply(new MagazineCreated(Guid.NewGuid(), T0, "News", "news@example.jp", null));
        return state;
    }

    [Fact]
    public void A_story_keeps_when_it_was_added_while_its_id_stays_and_a_new_id_is_added_now()
    {
        var state = Magazine();
        state.Apply(StorySequence.Replace(state, [Draft("welcome", 0), Draft("day1", 24)], Stamp(1))!);

        var second = StorySequence.Replace(state, [Draft("welcome", 0, "new subject"), Draft("day3", 72)], Stamp(5))!;
        state.Apply(second);

        Assert.Equal([("welcome", T0.AddHours(1), "new subject"), ("day3", T0.AddHours(5), "s")], state.Steps.Select(s => (s.Id, s.AddedAt, s.Subject)));
    }

    [Fact]
    public void The_same_sequence_again_is_no_event()
    {
        var state = Magazine();
        state.Apply(StorySequence.Replace(state, [Draft("welcome", 0)], Stamp(1))!);

        Assert.Null(StorySequence.Replace(state, [Draft("welcome", 0)], Stamp(2)));
        Assert.NotNull(StorySequence.Replace(state, [], Stamp(2)));
    }

    [Fact]
    public void The_sequence_is_ordered_by_delay_then_by_the_position_given()
    {
        var state = Magazine();
        state.Apply(StorySequence.Replace(state, [Draft("b", 24), Draft("a", 0), Draft("c", 24), Draft("z", 1)], Stamp(1))!);

        Assert.Equal(["a", "z", "b", "c"], StorySequence.Ordered(state.Steps).Select(s => s.Id));
    }

    [Fact]
    public void Settings_change_only_in_what_was_given_and_catch_up_starts_as_send_all_missed()
    {
        var state = Magazine();
        Assert.Equal(CatchUpPolicies.SendAllMissed, state.ToView("news").CatchUp);

        var changed = StorySequence.ChangeSettings(state, null, null, "ニュース", CatchUpPolicies.ShiftSchedule, Stamp(1))!;
        state.Apply(changed);

        Assert.Equal(("News", "news@example.jp", "ニュース", CatchUpPolicies.ShiftSchedule), (state.Name, state.FromAddress, state.FromName, state.CatchUp));
        Assert.Null(StorySequence.ChangeSettings(state, "News", null, null, CatchUpPolicies.ShiftSchedule, Stamp(2)));
    }
}
