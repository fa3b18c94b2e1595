using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Broadcasts;
using Hikyaku.Domain.Readers;
using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.Domain.Tests;

/// <summary>A reader held by a block with nowhere else to go: held without an attempt, and ended as held-expired after MaxHold.</summary>
public class HeldExpiryTests
{
    private static readonly TimeSpan MaxHold = TimeSpan.FromDays(3);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly MessageKey _issue = MessageKey.Broadcast("b1");

    private EventStamp Stamp() => EventStamp.Now(_time);

    private ReaderState Active()
    {
        var state = new ReaderState();
        state.Apply(ReaderDecisions.Subscribe(state, "a@icloud.com", null, null, "api", Stamp()).Value!);
        return state;
    }

    [Fact]
    public void An_active_reader_with_no_clean_lane_is_held_by_the_block_and_its_hold_starts_then()
    {
        var state = Active();
        _time.Advance(TimeSpan.FromMinutes(5));
        var held = Assert.IsType<ReaderHeld>(ReaderDecisions.HoldUnsent(state, "apple.1", _issue, "127.0.0.2", Stamp()));
        state.Apply(held);

        Assert.Equal((SubscriberStatus.Held, "block:apple.1"), (state.Status, state.StatusReason));
        Assert.Equal(_time.GetUtcNow(), ReaderDecisions.HeldSince(state));
        // Held already: the hold keeps its start; a reader that left is not held.
        Assert.Null(ReaderDecisions.HoldUnsent(state, "apple.2", _issue, "127.0.0.3", Stamp()));
        var left = Active();
        left.Apply(ReaderDecisions.Unsubscribe(left, "api", Stamp()).Value!);
        Assert.Null(ReaderDecisions.HoldUnsent(left, "apple.1", _issue, "127.0.0.2", Stamp()));
        Assert.Null(ReaderDecisions.HeldSince(left));
    }

    [Fact]
    public void A_hold_ends_as_held_expired_only_after_max_hold_and_the_reader_is_never_error_stopped()
    {
        var state = Active();
        state.Apply(ReaderDecisions.HoldUnsent(state, "apple.1", _issue, "127.0.0.2", Stamp())!);
        var since = ReaderDecisions.HeldSince(state)!.Value;

        _time.Advance(MaxHold - TimeSpan.FromSeconds(1));
        Assert.Null(ReaderDecisions.ExpireHold(state, _issue, "apple.1", since, MaxHold, Stamp()));

        _time.Advance(TimeSpan.FromSeconds(1));
        var expired = Assert.IsType<ReaderHoldExpired>(ReaderDecisions.ExpireHold(state, _issue, "apple.1", since, MaxHold, Stamp()));
        state.Apply(expired);
        Assert.Equal(SubscriberStatus.Held, state.Status);
        Assert.Equal(0, state.ErrorCount);
        Assert.Equal((PrepareVerdict.AlreadyFinal, RecipientResults.HeldExpired), (ReaderDecisions.Prepare(state, _issue).Verdict, ReaderDecisions.Prepare(state, _issue).FinalResult));
        // Final: never expired twice, and the next message may still go out once a lane is clean.
        Assert.Null(ReaderDecisions.ExpireHold(state, _issue, "apple.1", since, MaxHold, Stamp()));
        Assert.Equal(PrepareVerdict.Send, ReaderDecisions.Prepare(state, MessageKey.Broadcast("b2")).Verdict);
    }

    [Fact]
    public void A_broadcast_counts_held_expired_under_bounced_and_finishes_only_when_no_reader_is_held()
    {
        var state = new BroadcastState();
        var at = _time.GetUtcNow();
        state.Apply(new BroadcastCreated(Guid.NewGuid(), at, "news", "s", "b", null, null));
        state.Apply(new BroadcastAudiencePaged(Guid.NewGuid(), at, 0, ["a@icloud.com", "b@icloud.com"]));
        state.Apply(new BroadcastStarted(Guid.NewGuid(), at, 2, 1, ["127.0.0.2"]));

        state.Apply(new BroadcastResultsRecorded(Guid.NewGuid(), at, [new(0, 0, RecipientResults.Delivered, null), new(0, 1, RecipientResults.Held, "block:apple.1")]));
        Assert.Equal((1, 0), (state.Held, state.Pending));
        Assert.False(state.AllFinal);

        state.Apply(new BroadcastResultsRecorded(Guid.NewGuid(), at, [new(0, 1, RecipientResults.HeldExpired, "block:apple.1")]));
        Assert.Equal((0, 1, 0), (state.Held, state.Bounced[RecipientResults.HeldExpired], state.ErrorStopped));
        Assert.Equal(state.Total, state.Pending + state.Delivered + state.Held + state.ErrorStopped + state.Bounced.Values.Sum());
        Assert.True(state.AllFinal);
    }

    [Fact]
    public void An_error_stop_taken_back_before_it_was_reported_does_not_count_when_the_report_comes()
    {
        var state = new BroadcastState();
        var at = _time.GetUtcNow();
        state.Apply(new BroadcastCreated(Guid.NewGuid(), at, "news", "s", "b", null, null));
        state.Apply(new BroadcastAudiencePaged(Guid.NewGuid(), at, 0, ["a@hotmail.com", "b@hotmail.com"]));
        state.Apply(new BroadcastStarted(Guid.NewGuid(), at, 2, 1, ["127.0.0.2", "127.0.0.3"]));

        // A clean lane found the block and took the reader back; the blocked lane's report of the error stop comes after.
        state.Apply(new BroadcastResultsRecorded(Guid.NewGuid(), at, [new(0, 0, RecipientResults.Held, "block:microsoft.1", Reopens: true)]));
        state.Apply(new BroadcastResultsRecorded(Guid.NewGuid(), at, [new(0, 0, RecipientResults.ErrorStopped, "userunknown"), new(0, 1, RecipientResults.ErrorStopped, "userunknown")]));
        Assert.Equal((1, 1), (state.Held, state.ErrorStopped));

        state.Apply(new BroadcastResultsRecorded(Guid.NewGuid(), at, [new(0, 0, RecipientResults.Delivered, null)]));
        Assert.Equal((1, 0, 1), (state.Delivered, state.Held, state.ErrorStopped));
        Assert.True(state.AllFinal);
    }
}
