using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Broadcasts;
using Hikyaku.Domain.Delivery;
using Hikyaku.Domain.Readers;
using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.Domain.Tests;

/// <summary>A reader whose message cannot be composed gets a final result at once instead of holding up its broadcast.</summary>
public class ComposeFailureTests
{
    private static readonly ReplyRecord NotComposed = new(0, null, "the message could not be composed for this address: Invalid local-part", ReplyStage.Compose, false);
    private static readonly ReplyRecord ConnectionRefused = new(0, null, "SocketException: Connection refused", ReplyStage.Connect, false);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_message_that_cannot_be_composed_fails_for_the_reader_on_its_first_attempt()
    {
        var verdict = DeliveryDecision.Decide(NotComposed, lastAttempt: false);

        Assert.Equal((VerdictKind.Failed, RecipientResults.Failed, "compose"), (verdict.Kind, verdict.Result, verdict.Reason));
        Assert.True(RecipientResults.IsFinal(verdict.Result));
    }

    [Fact]
    public void A_connection_that_fails_is_still_retried_and_not_failed()
    {
        Assert.Equal(RecipientResults.Deferred, DeliveryDecision.Decide(ConnectionRefused, lastAttempt: false).Result);
    }

    [Fact]
    public void The_failure_is_recorded_in_the_readers_history_with_its_reason_and_the_reader_stays_active()
    {
        var state = new ReaderState();
        state.Apply(ReaderDecisions.Subscribe(state, "taro@docomo.ne.jp", null, null, "api", EventStamp.Now(_time)).Value!);
        var report = new AttemptReport(MessageKey.Broadcast("1"), string.Empty, "127.0.0.2", "mx.docomo.ne.jp", ReplyRecords.Classified(NotComposed), string.Empty, 0, DeliveryDecision.Decide(NotComposed, false));

        var (events, result) = ReaderDecisions.RecordAttempt(state, report, () => EventStamp.Now(_time));
        foreach (var e in events)
        {
            state.Apply(e);
        }

        var attempt = Assert.IsType<DeliveryAttempted>(Assert.Single(events));
        Assert.Equal((RecipientResults.Failed, "compose", ReplyStage.Compose), (attempt.Result, attempt.Classification, attempt.Reply.Stage));
        Assert.Contains("could not be composed", attempt.Reply.Text, StringComparison.Ordinal);
        Assert.Equal(new AttemptResult(RecipientResults.Failed, "compose"), result);
        Assert.Equal(SubscriberStatus.Active, state.Status);
        // Handed out again after a crash, the message is not attempted a second time.
        Assert.Equal(PrepareVerdict.AlreadyFinal, ReaderDecisions.Prepare(state, MessageKey.Broadcast("1")).Verdict);
    }

    [Fact]
    public void A_failed_reader_counts_under_bounced_failed_and_the_broadcast_can_finish()
    {
        var state = new BroadcastState();
        var at = _time.GetUtcNow();
        state.Apply(new BroadcastCreated(Guid.NewGuid(), at, "news", "s", "b", null, null));
        state.Apply(new BroadcastAudiencePaged(Guid.NewGuid(), at, 0, ["a@gmail.com", "b@gmail.com", "c@gmail.com"]));
        state.Apply(new BroadcastStarted(Guid.NewGuid(), at, 3, 1, ["127.0.0.2"]));

        state.Apply(new BroadcastResultsRecorded(Guid.NewGuid(), at, [new(0, 0, RecipientResults.Delivered, null), new(0, 1, RecipientResults.Failed, "compose")]));
        Assert.Equal((1, 1), (state.Pending, state.Bounced[RecipientResults.Failed]));
        Assert.False(state.AllFinal);

        // Reported again (a lane re-dispatched after a crash): counted once.
        state.Apply(new BroadcastResultsRecorded(Guid.NewGuid(), at, [new(0, 1, RecipientResults.Failed, "compose"), new(0, 2, RecipientResults.Delivered, null)]));
        Assert.Equal((0, 2, 1), (state.Pending, state.Delivered, state.Bounced[RecipientResults.Failed]));
        Assert.Equal(state.Total, state.Pending + state.Delivered + state.Held + state.ErrorStopped + state.Bounced.Values.Sum());
        Assert.True(state.AllFinal);
    }
}
