using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Readers;
using Hikyaku.Domain.Steps;

namespace Hikyaku.Domain.Tests.Steps;

/// <summary>A reader's next story: the first one due for it that has no final result, decided as events are appended.</summary>
public class StepScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly ReaderState _reader = new();

    private static DateTimeOffset At(double minutes) => T0.AddMinutes(minutes);

    private static StoryStep Story(string id, double afterMinutes, double addedAtMinutes = -1, bool backfill = false) =>
        new(id, TimeSpan.FromMinutes(afterMinutes), id, "text", null, backfill, At(addedAtMinutes));

    private static EventStamp Stamp(double minutes) => new(Guid.NewGuid(), At(minutes));

    private static DeliveryAttempted Final(double at, string story, string result) =>
        new(Guid.NewGuid(), At(at), MessageKey.Story(story).ToString(), "step", null, story, "<m@x>", "127.0.0.2", "mx.example.jp",
            new ReplyRecord(250, "2.0.0", "OK", ReplyStage.Data, true), "delivered", result, "");

    /// <summary>Appends <paramref name="events"/> as the grain does: with the step event they call for, if any.</summary>
    private ReaderStepScheduled? Append(IReadOnlyList<ReaderEvent> events, IReadOnlyList<StoryStep> sequence, double at, CatchUpRule? catchUp = null)
    {
        var more = StepSchedule.After(_reader, events, sequence, "test", () => Stamp(at), catchUp);
        foreach (var e in events.Concat(more))
        {
            _reader.Apply(e);
        }

        _added = more;
        return more.OfType<ReaderStepScheduled>().SingleOrDefault();
    }

    private IReadOnlyList<ReaderEvent> _added = [];

    private static ReaderSubscribed Subscribed(double at) => new(Guid.NewGuid(), At(at), "r@example.jp", null, null, "api");

    [Fact]
    public void Subscribing_schedules_the_first_story_and_each_final_result_the_next_in_sending_order()
    {
        StoryStep[] sequence = [Story("day3", 3 * 1440), Story("welcome", 0), Story("day1", 1440)];

        Assert.Equal(("welcome", At(10)), (Append([Subscribed(10)], sequence, 10)!.StoryId, _reader.StepDueAt));
        Assert.Equal(("day1", At(10 + 1440)), (Append([Final(11, "welcome", RecipientResults.Delivered)], sequence, 11)!.StoryId, _reader.StepDueAt));

        // A story that ends without delivery (its hold expired) is missed, not owed again: the reader goes on.
        Assert.Equal("day3", Append([new ReaderHoldExpired(Guid.NewGuid(), At(1500), MessageKey.Story("day1").ToString(), "b1", At(1450))], sequence, 1500)!.StoryId);
        var last = Append([Final(4400, "day3", RecipientResults.Delivered)], sequence, 4400)!;
        Assert.Equal((null, null), (last.StoryId, last.DueAt));
        Assert.Equal((2, "day3"), (_reader.StepPosition, _reader.StepLast));

        // Nothing more to say: no event.
        Assert.Null(Append([], sequence, 4401));
    }

    [Fact]
    public void A_story_added_after_the_reader_passed_its_time_is_owed_only_when_backfilled_and_then_from_when_it_was_added()
    {
        Append([Subscribed(0)], [Story("welcome", 0)], 0);
        Append([Final(1, "welcome", RecipientResults.Delivered)], [Story("welcome", 0)], 1);
        Assert.Null(_reader.StepStory);

        StoryStep[] grown = [Story("welcome", 0), Story("tips", 5, addedAtMinutes: 60), Story("faq", 5, addedAtMinutes: 60, backfill: true), Story("later", 120, addedAtMinutes: 60)];
        var rescheduled = Append([], grown, 61)!;
        Assert.Equal(("faq", At(60)), (rescheduled.StoryId, rescheduled.DueAt));
        Assert.Equal(("later", At(120)), (Append([Final(62, "faq", RecipientResults.Delivered)], grown, 62)!.StoryId, _reader.StepDueAt));
    }

    [Fact]
    public void Unsubscribing_clears_the_next_story_and_subscribing_again_starts_from_the_new_subscription_without_what_was_delivered()
    {
        StoryStep[] sequence = [Story("welcome", 0), Story("day1", 1440)];
        Append([Subscribed(0)], sequence, 0);
        Append([Final(1, "welcome", RecipientResults.Delivered)], sequence, 1);

        var left = Append([new ReaderUnsubscribed(Guid.NewGuid(), At(2), "api")], sequence, 2)!;
        Assert.Null(left.StoryId);

        var back = Append([Subscribed(100)], sequence, 100)!;
        Assert.Equal(("day1", At(100 + 1440)), (back.StoryId, back.DueAt));
    }

    private static readonly StoryStep[] Four = [Story("s0", 0), Story("s20", 20), Story("s40", 40), Story("s60", 60)];

    /// <summary>Subscribed at 0, s0 delivered, error-stopped at 15, restored at 50: s20 and s40 came due meanwhile.</summary>
    private void StoppedThroughTwoStories()
    {
        Append([Subscribed(0)], Four, 0);
        Append([Final(0.5, "s0", RecipientResults.Delivered)], Four, 0.5);
        Append([new ReaderErrorStopped(Guid.NewGuid(), At(15), "userunknown", "550 5.1.1 unknown")], Four, 15);
    }

    private ReaderStepScheduled? Restore(CatchUpRule rule) =>
        Append([new ReaderRestored(Guid.NewGuid(), At(50), SubscriberStatus.ErrorStopped, "api")], Four, 50, rule);

    private string Added() => string.Join("; ", _added.Select(e => e switch
    {
        ReaderStoriesQueued q => $"queued {string.Join(",", q.StoryIds)}",
        ReaderStoriesSetAside a => $"aside {string.Join(",", a.StoryIds)} ({a.Why})",
        ReaderStepShifted x => $"shifted {x.By.TotalMinutes}m",
        ReaderStepScheduled n => $"next {n.StoryId}@{(n.DueAt!.Value - T0).TotalMinutes}m",
        _ => e.GetType().Name,
    }));

    [Theory]
    [InlineData(CatchUpPolicies.SendAllMissed, "queued s20,s40")] // s20 was next already
    [InlineData(CatchUpPolicies.LatestOnly, "aside s20 (latest-only); queued s40; next s40@40m")]
    [InlineData(CatchUpPolicies.ShiftSchedule, "shifted 35m; queued s20,s40; next s20@55m")]
    [InlineData(CatchUpPolicies.Skip, "aside s20,s40 (skip); next s60@60m")]
    public void Coming_back_to_active_applies_the_catch_up_policy_to_the_stories_missed_meanwhile(string policy, string expected)
    {
        StoppedThroughTwoStories();

        Restore(new CatchUpRule(policy, AutoResend: true));

        Assert.Equal(expected, Added());
    }

    [Theory]
    [InlineData(CatchUpPolicies.SendAllMissed, "queued s20,s40")]
    [InlineData(CatchUpPolicies.LatestOnly, "aside s20 (latest-only); queued s40; next s40@40m")]
    [InlineData(CatchUpPolicies.ShiftSchedule, "shifted 35m; queued s20,s40; next s20@55m")]
    [InlineData(CatchUpPolicies.Skip, "aside s20,s40 (skip); next s60@60m")]
    public void A_paused_reader_resumed_meets_the_catch_up_policy_like_a_restored_one_and_loses_the_time_from_its_pause(string policy, string expected)
    {
        Append([Subscribed(0)], Four, 0);
        Append([Final(0.5, "s0", RecipientResults.Delivered)], Four, 0.5);
        Append([new ReaderPaused(Guid.NewGuid(), At(15), "api", SubscriberStatus.Active)], Four, 15);
        Assert.Empty(_added); // the schedule stands; the scheduler reads only active and held readers
        Assert.Equal(SubscriberStatus.Paused, _reader.Status);

        Append([new ReaderResumed(Guid.NewGuid(), At(50), "api")], Four, 50, new CatchUpRule(policy, AutoResend: true));

        Assert.Equal(expected, Added());
        Assert.Equal(SubscriberStatus.Active, _reader.Status);
    }

    [Fact]
    public void Under_shift_schedule_a_story_held_before_its_hold_was_recorded_is_late_from_its_due_time_and_the_rest_keep_their_distance_from_it()
    {
        // s20 came due at 20 and waited in a blocked lane; the block held the reader at 25; the lane opened and delivered s20
        // at 70. The time lost is 50 minutes (s20's lateness), not the 45 of the recorded hold: s40 goes 20 minutes after s20.
        Append([Subscribed(0)], Four, 0);
        Append([Final(0.5, "s0", RecipientResults.Delivered)], Four, 0.5);
        Append([new ReaderHeld(Guid.NewGuid(), At(25), "block:docomo.1", null, "127.0.0.2", null)], Four, 25);
        var rule = new CatchUpRule(CatchUpPolicies.ShiftSchedule, AutoResend: true);
        Append([Final(70, "s20", RecipientResults.Delivered), new ReaderRestored(Guid.NewGuid(), At(70), SubscriberStatus.Held, "delivered from 127.0.0.3")], Four, 70, rule);
        Assert.Equal("shifted 50m; queued s40,s60; next s40@90m", Added());

        // Held at 25 with s20 delivered, back at 38 before s40 is due: nothing missed, and the hold still moves the rest later
        // by the 13 minutes lost.
        var other = new ReaderState();
        foreach (var e in new ReaderEvent[] { Subscribed(0), Final(0.5, "s0", RecipientResults.Delivered), Final(20.5, "s20", RecipientResults.Delivered) })
        {
            other.Apply(e);
        }

        other.Apply(new ReaderHeld(Guid.NewGuid(), At(25), "block:docomo.1", null, "127.0.0.2", null));
        var more = StepSchedule.After(other, [new ReaderRestored(Guid.NewGuid(), At(38), SubscriberStatus.Held, "lifted")], Four, "test", () => Stamp(38), rule);
        Assert.Equal(TimeSpan.FromMinutes(13), more.OfType<ReaderStepShifted>().Single().By);
    }

    [Fact]
    public void Without_automatic_resend_missed_stories_wait_for_the_operator_and_a_resend_queues_each_once_ever()
    {
        StoppedThroughTwoStories();
        Restore(new CatchUpRule(CatchUpPolicies.SendAllMissed, AutoResend: false));
        Assert.Equal("aside s20,s40 (awaiting-operator); next s60@60m", Added());

        Assert.Equal(["s20", "s40"], StepSchedule.Resendable(_reader, Four, At(51)));
        Append([new ReaderStoriesQueued(Guid.NewGuid(), At(51), ["s20", "s40"], StepSchedule.Resend)], Four, 51);
        Assert.Equal("next s20@20m", Added());

        // Queued and on its way: a second resend has nothing to queue; once delivered, never again.
        Assert.Empty(StepSchedule.Resendable(_reader, Four, At(51)));
        Append([Final(52, "s20", RecipientResults.Delivered)], Four, 52);
        Assert.Equal("next s40@40m", Added());
        Append([Final(53, "s40", RecipientResults.HeldExpired)], Four, 53);
        Assert.Equal(["s40"], StepSchedule.Resendable(_reader, Four, At(54)));
    }
}
