using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Readers;
using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.Domain.Tests;

public class ReaderHistoryTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly ReaderState _state = new();

    private EventStamp Stamp() => EventStamp.Now(_time);

    private void Apply(Outcome<ReaderEvent> decision) => _state.Apply(decision.Value ?? throw new InvalidOperationException(decision.Error!.Message));

    [Fact]
    public void A_new_reader_is_active_from_the_moment_it_subscribes()
    {
        Apply(ReaderDecisions.Subscribe(_state, "a@example.jp", "A", null, "api", Stamp()));

        Assert.Equal(SubscriberStatus.Active, _state.Status);
        Assert.Equal(_time.GetUtcNow(), _state.SubscribedAt);
    }

    [Fact]
    public void Subscribing_an_existing_reader_is_a_conflict_but_one_who_left_may_come_back()
    {
        Apply(ReaderDecisions.Subscribe(_state, "a@example.jp", null, null, "api", Stamp()));
        Assert.Equal(ErrorKind.Conflict, ReaderDecisions.Subscribe(_state, "a@example.jp", null, null, "api", Stamp()).Error!.Kind);

        Apply(ReaderDecisions.Unsubscribe(_state, "api", Stamp()));
        Assert.Equal(SubscriberStatus.Unsubscribed, _state.Status);
        Apply(ReaderDecisions.Subscribe(_state, "a@example.jp", null, null, "api", Stamp()));
        Assert.Equal(SubscriberStatus.Active, _state.Status);
    }

    [Fact]
    public void Only_error_stopped_or_held_readers_can_be_restored_and_restoring_resets_errors()
    {
        Apply(ReaderDecisions.Subscribe(_state, "a@example.jp", null, null, "api", Stamp()));
        Assert.Equal(ErrorKind.Conflict, ReaderDecisions.Restore(_state, "api", Stamp()).Error!.Kind);

        _state.Apply(new ReaderErrorStopped(Guid.NewGuid(), _time.GetUtcNow(), "userunknown", "550 5.1.1 unknown"));
        Assert.Equal((SubscriberStatus.ErrorStopped, 1), (_state.Status, _state.ErrorCount));

        Apply(ReaderDecisions.Restore(_state, "api", Stamp()));
        Assert.Equal((SubscriberStatus.Active, 0, (string?)null), (_state.Status, _state.ErrorCount, _state.StatusReason));

        _state.Apply(new ReaderHeld(Guid.NewGuid(), _time.GetUtcNow(), "disguised-block", "microsoft", "127.0.0.2", null));
        var restored = ReaderDecisions.Restore(_state, "api", Stamp()).Value as ReaderRestored;
        Assert.Equal(SubscriberStatus.Held, restored!.FromStatus);
    }

    [Fact]
    public void An_active_or_held_reader_can_be_paused_gets_nothing_while_paused_and_only_a_paused_one_resumed()
    {
        Apply(ReaderDecisions.Subscribe(_state, "a@example.jp", null, null, "api", Stamp()));
        Assert.Equal(ErrorKind.Conflict, ReaderDecisions.Resume(_state, "api", Stamp()).Error!.Kind);

        Apply(ReaderDecisions.Pause(_state, "api", Stamp()));
        Assert.Equal((SubscriberStatus.Paused, "paused by api"), (_state.Status, _state.StatusReason));
        Assert.Equal(PrepareVerdict.NotActive, ReaderDecisions.Prepare(_state, MessageKey.Story("welcome")).Verdict);
        Assert.Equal(ErrorKind.Conflict, ReaderDecisions.Pause(_state, "api", Stamp()).Error!.Kind);
        Assert.Equal(ErrorKind.Conflict, ReaderDecisions.Restore(_state, "api", Stamp()).Error!.Kind);

        Apply(ReaderDecisions.Resume(_state, "api", Stamp()));
        Assert.Equal(SubscriberStatus.Active, _state.Status);

        _state.Apply(new ReaderHeld(Guid.NewGuid(), _time.GetUtcNow(), "block:b1", "microsoft", "127.0.0.2", null));
        Assert.Equal(SubscriberStatus.Held, (ReaderDecisions.Pause(_state, "api", Stamp()).Value as ReaderPaused)!.FromStatus);

        // An error stop is undone by a restore, not got round by a pause and a resume.
        _state.Apply(new ReaderErrorStopped(Guid.NewGuid(), _time.GetUtcNow(), "userunknown", "550 5.1.1 unknown"));
        Assert.Equal(ErrorKind.Conflict, ReaderDecisions.Pause(_state, "api", Stamp()).Error!.Kind);
    }

    [Fact]
    public void Commands_on_a_reader_that_never_subscribed_are_not_found()
    {
        Assert.Equal(ErrorKind.NotFound, ReaderDecisions.Unsubscribe(_state, "api", Stamp()).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, ReaderDecisions.Restore(_state, "api", Stamp()).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, ReaderDecisions.Pause(_state, "api", Stamp()).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, ReaderDecisions.Resume(_state, "api", Stamp()).Error!.Kind);
    }

    [Fact]
    public void The_projection_row_folds_the_same_events_as_the_state()
    {
        var events = new ReaderEvent[]
        {
            new ReaderSubscribed(Guid.NewGuid(), _time.GetUtcNow(), "a@docomo.ne.jp", null, null, "api"),
            new ReaderErrorStopped(Guid.NewGuid(), _time.GetUtcNow().AddHours(1), "userunknown", "550 Unknown user"),
        };

        var row = ReaderIndexEntry.Fold(null, events[..1]);
        row = ReaderIndexEntry.Fold(row, events[1..]);
        foreach (var e in events)
        {
            _state.Apply(e);
        }

        Assert.Equal(ReaderIndexEntry.From(_state), row);
        Assert.Equal(("docomo.ne.jp", SubscriberStatus.ErrorStopped, "550 Unknown user"), (row!.Domain, row.Status, row.LastReply));
    }
}
