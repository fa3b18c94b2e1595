using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Steps;

namespace Hikyaku.Domain.Tests.Steps;

/// <summary>Which stories a reader's history says came due, were delivered, or were missed and why.</summary>
public class StepReplayTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly ReplyRecord Unknown = new(550, "5.1.1", "User unknown", ReplyStage.Rcpt, true);
    private static readonly ReplyRecord Spam = new(554, "5.7.1", "Message refused as spam", ReplyStage.Data, true);
    private readonly List<ReaderEvent> _history = [];

    private static DateTimeOffset At(double hours) => T0.AddHours(hours);

    private static StoryStep Story(string id, double afterHours, double addedAtHours = -1, bool backfill = false) =>
        new(id, TimeSpan.FromHours(afterHours), $"Story {id}", "text", null, backfill, At(addedAtHours));

    private StepReplayTests Subscribed(double at) { _history.Add(new ReaderSubscribed(Guid.NewGuid(), At(at), "r@example.jp", null, null, "api")); return this; }

    private StepReplayTests Unsubscribed(double at) { _history.Add(new ReaderUnsubscribed(Guid.NewGuid(), At(at), "api")); return this; }

    private StepReplayTests Held(double at, string reason) { _history.Add(new ReaderHeld(Guid.NewGuid(), At(at), reason, "microsoft", "127.0.0.2", "550 5.7.606 Access denied")); return this; }

    private StepReplayTests Stopped(double at, string reply) { _history.Add(new ReaderErrorStopped(Guid.NewGuid(), At(at), "userunknown", reply)); return this; }

    private StepReplayTests Restored(double at) { _history.Add(new ReaderRestored(Guid.NewGuid(), At(at), SubscriberStatus.ErrorStopped, "api")); return this; }

    private StepReplayTests Paused(double at) { _history.Add(new ReaderPaused(Guid.NewGuid(), At(at), "api", SubscriberStatus.Active)); return this; }

    private StepReplayTests Resumed(double at) { _history.Add(new ReaderResumed(Guid.NewGuid(), At(at), "api")); return this; }

    private StepReplayTests Attempt(double at, string storyId, string result, ReplyRecord? reply = null)
    {
        _history.Add(new DeliveryAttempted(Guid.NewGuid(), At(at), MessageKey.Story(storyId).ToString(), "story", null, storyId, "<m@x>", "127.0.0.2", "mx.example.jp",
            reply ?? new ReplyRecord(250, "2.0.0", "OK", ReplyStage.Data, true), "delivered", result, ""));
        return this;
    }

    private IReadOnlyList<MissedStory> Missed(double now, params StoryStep[] sequence) => StepReplay.Missed(_history, sequence, At(now));

    private static string Summary(IEnumerable<MissedStory> missed) =>
        string.Join(", ", missed.Select(m => $"{m.StoryId}:{m.Reason}" + (m.BlockId is null ? "" : $"({m.BlockId})") + (m.Reply is null ? "" : $"[{m.Reply}]")));

    [Fact]
    public void A_story_is_due_its_delay_after_the_subscription_and_one_not_yet_due_is_not_missed()
    {
        Subscribed(0);
        var standing = StepReplay.Replay(_history, [Story("day1", 24), Story("welcome", 0), Story("day3", 72)], At(30));

        Assert.Equal(["welcome", "day1", "day3"], standing.Select(s => s.StoryId));
        Assert.Equal([At(0), At(24), At(72)], standing.Select(s => s.DueAt!.Value));
        Assert.Equal("welcome:not-sent, day1:not-sent", Summary(standing.Select(s => s.Missed).OfType<MissedStory>()));
        Assert.False(standing[2].CameDue(At(30)));
    }

    [Fact]
    public void A_delivered_story_is_not_missed_but_a_late_bounce_for_it_makes_it_failed_with_the_reports_words()
    {
        Subscribed(0).Attempt(0.1, "welcome", RecipientResults.Delivered).Attempt(24.1, "day1", RecipientResults.Delivered);
        _history.Add(new ReaderBounceReceived(Guid.NewGuid(), At(25), "bounce-1", BounceKinds.Bounce, "s:day1", "mailboxfull", "5.2.2", 552, false,
            "address-soft", null, "Mailbox full", "smtp", RecipientResults.Bounced));

        var standing = StepReplay.Replay(_history, [Story("welcome", 0), Story("day1", 24)], At(30));

        Assert.Equal(At(0.1), standing[0].DeliveredAt);
        Assert.Equal("day1:failed[552 5.2.2 Mailbox full]", Summary(standing.Select(s => s.Missed).OfType<MissedStory>()));
    }

    [Fact]
    public void A_story_added_after_the_reader_passed_its_time_is_not_due_unless_backfilled_and_then_it_is_due_when_added()
    {
        Subscribed(0);
        var late = Story("late", 1, addedAtHours: 5);
        var backfilled = Story("backfilled", 1, addedAtHours: 5, backfill: true);
        var ahead = Story("ahead", 10, addedAtHours: 5);

        var standing = StepReplay.Replay(_history, [late, backfilled, ahead], At(20));

        Assert.Equal(new DateTimeOffset?[] { null, At(5), At(10) }, standing.Select(s => s.DueAt));
        Assert.Equal("backfilled:not-sent, ahead:not-sent", Summary(standing.Select(s => s.Missed).OfType<MissedStory>()));
    }

    [Fact]
    public void A_reader_held_by_a_block_when_the_story_came_due_missed_it_as_held_naming_the_block()
    {
        Subscribed(0).Held(10, "block:microsoft.3");

        Assert.Equal("day1:held(microsoft.3)", Summary(Missed(30, Story("day1", 24))));
    }

    [Fact]
    public void A_hold_without_a_block_is_held_naming_no_block()
    {
        Subscribed(0).Held(10, "blocked");

        Assert.Equal("day1:held", Summary(Missed(30, Story("day1", 24))));
    }

    [Fact]
    public void An_error_stopped_reader_missed_what_came_due_while_stopped_with_the_reply_and_nothing_after_the_restore_is_blamed_on_it()
    {
        Subscribed(0).Stopped(10, "550 5.1.1 User unknown").Restored(30);

        Assert.Equal("day1:error-stopped[550 5.1.1 User unknown], day2:not-sent", Summary(Missed(50, Story("day1", 24), Story("day2", 48))));
    }

    [Fact]
    public void A_story_still_owed_when_the_reader_was_stopped_later_is_explained_by_that_stop()
    {
        Subscribed(0).Stopped(5, "550 5.1.1 gone").Restored(6).Held(8, "block:google.1");

        // Due at 1 while active; the first thing that came between the reader and it was the error stop at 5.
        Assert.Equal("early:error-stopped[550 5.1.1 gone], mid:held(google.1)", Summary(Missed(20, Story("early", 1), Story("mid", 7))));
    }

    [Fact]
    public void A_reader_paused_when_the_story_came_due_missed_it_as_paused_and_nothing_after_the_resume_is_blamed_on_the_pause()
    {
        Subscribed(0).Attempt(0.1, "welcome", RecipientResults.Delivered).Paused(10).Resumed(30);

        Assert.Equal("day1:paused, day2:not-sent",
            Summary(Missed(60, Story("welcome", 0), Story("day1", 24), Story("day2", 48))));
    }

    [Fact]
    public void A_story_still_owed_when_the_reader_was_paused_later_is_explained_by_the_pause()
    {
        Subscribed(0).Paused(5);

        Assert.Equal("welcome:paused", Summary(Missed(6, Story("welcome", 0))));
    }

    [Fact]
    public void A_storys_own_final_attempt_explains_it_before_the_readers_state()
    {
        Subscribed(0)
            .Attempt(24, "day1", RecipientResults.ErrorStopped, Unknown).Stopped(24, "550 5.1.1 User unknown")
            .Restored(30).Attempt(48, "day2", RecipientResults.Bounced, Spam);
        _history.Add(new ReaderHoldExpired(Guid.NewGuid(), At(80), "s:day3", "yahoo.2", At(72)));

        Assert.Equal("day1:error-stopped[550 5.1.1 User unknown], day2:failed[554 5.7.1 Message refused as spam], day3:held(yahoo.2)",
            Summary(Missed(100, Story("day1", 24), Story("day2", 48), Story("day3", 72))));
    }

    [Fact]
    public void Nothing_is_due_after_the_reader_unsubscribed_and_nothing_to_a_reader_who_never_subscribed()
    {
        Assert.Empty(Missed(100, Story("welcome", 0)));

        Subscribed(0).Unsubscribed(30);
        Assert.Equal("day1:not-sent", Summary(Missed(100, Story("day1", 24), Story("day2", 48))));
    }

    [Fact]
    public void A_resubscription_starts_the_schedule_again_and_a_story_delivered_before_stays_delivered()
    {
        Subscribed(-100).Attempt(-100, "welcome", RecipientResults.Delivered).Unsubscribed(-90).Subscribed(0);

        var standing = StepReplay.Replay(_history, [Story("welcome", 0, addedAtHours: -200), Story("day1", 24, addedAtHours: -200)], At(30));

        Assert.Equal((At(-100), At(24)), (standing[0].DeliveredAt!.Value, standing[1].DueAt!.Value));
        Assert.Equal("day1:not-sent", Summary(standing.Select(s => s.Missed).OfType<MissedStory>()));
    }

    [Fact]
    public void Seconds_work_so_a_sequence_can_be_compressed()
    {
        Subscribed(0);
        var s1 = new StoryStep("s1", TimeSpan.FromSeconds(1), "1", "t", null, false, At(-1));
        var s2 = new StoryStep("s2", TimeSpan.FromSeconds(3), "2", "t", null, false, At(-1));

        Assert.Equal(["s1"], StepReplay.Missed(_history, [s2, s1], T0.AddSeconds(2)).Select(m => m.StoryId));
    }
}
