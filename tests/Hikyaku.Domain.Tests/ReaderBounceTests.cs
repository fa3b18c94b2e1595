using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Readers;
using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.Domain.Tests;

public class ReaderBounceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly ReaderState _state = new();

    public ReaderBounceTests() =>
        _state.Apply(new ReaderSubscribed(Guid.NewGuid(), _time.GetUtcNow(), "taro@example.jp", null, null, "api"));

    private static BounceNotice Notice(string reason, string action, bool hard, string kind = BounceKinds.Bounce, string id = "<dsn-1@mx.example.jp>") =>
        new(id, kind, "b:spring", reason, hard ? "5.1.1" : "4.2.2", 550, hard, action, "rfc3463.x.1.1", "550 5.1.1 user unknown", "smtp");

    private (string[] Types, BounceRecordResult Result) Record(BounceNotice notice)
    {
        var (events, result) = ReaderBounceDecisions.Record(_state, notice, () => EventStamp.Now(_time));
        foreach (var e in events)
        {
            _state.Apply(e);
        }

        return (events.Select(e => e.GetType().Name).ToArray(), result);
    }

    [Fact]
    public void A_late_user_unknown_bounce_error_stops_the_reader_as_the_same_reply_in_the_session_would()
    {
        var (types, result) = Record(Notice("userunknown", "address-dead", hard: true));

        Assert.Equal([nameof(ReaderBounceReceived), nameof(ReaderErrorStopped)], types);
        Assert.Equal((SubscriberStatus.ErrorStopped, "userunknown"), (_state.Status, _state.StatusReason));
        Assert.Equal("550 5.1.1 550 5.1.1 user unknown", _state.LastReply);
        Assert.True(result.ErrorStopped);
    }

    [Theory]
    [InlineData("mailboxfull", "address-soft")]
    [InlineData("blocked", "sender-blocked")]
    [InlineData("spamdetected", "content-rejected")]
    public void A_soft_or_sender_blocked_bounce_is_recorded_and_the_reader_stays_active(string reason, string action)
    {
        var (types, result) = Record(Notice(reason, action, hard: false));

        Assert.Equal([nameof(ReaderBounceReceived)], types);
        Assert.Equal(SubscriberStatus.Active, _state.Status);
        Assert.Equal((BounceRecordOutcome.Recorded, false, false), (result.Outcome, result.ErrorStopped, result.Unsubscribed));
    }

    [Theory]
    [InlineData(BounceKinds.Delayed)]
    [InlineData(BounceKinds.Challenge)]
    public void A_delay_warning_or_a_challenge_is_recorded_as_what_it_is_and_never_stops_the_reader_even_in_dead_words(string kind)
    {
        var (types, result) = Record(Notice("userunknown", "address-dead", hard: true, kind: kind));

        Assert.Equal([nameof(ReaderBounceReceived)], types);
        Assert.Equal(SubscriberStatus.Active, _state.Status);
        Assert.Equal((BounceRecordOutcome.Recorded, false), (result.Outcome, result.ErrorStopped));
    }

    [Fact]
    public void A_complaint_unsubscribes_the_reader_with_reason_complaint()
    {
        var (types, result) = Record(Notice("feedback", "not-a-bounce", hard: false, kind: BounceKinds.Complaint));

        Assert.Equal([nameof(ReaderBounceReceived), nameof(ReaderUnsubscribed)], types);
        Assert.Equal((SubscriberStatus.Unsubscribed, "complaint"), (_state.Status, _state.StatusReason));
        Assert.True(result.Unsubscribed);
    }

    [Fact]
    public void The_same_report_twice_is_recorded_once()
    {
        Record(Notice("mailboxfull", "address-soft", hard: false));
        var (types, result) = Record(Notice("userunknown", "address-dead", hard: true));

        Assert.Empty(types);
        Assert.Equal(BounceRecordOutcome.Duplicate, result.Outcome);
        Assert.Equal(SubscriberStatus.Active, _state.Status);
    }

    [Fact]
    public void A_dead_address_bounce_for_a_reader_already_stopped_or_gone_is_recorded_without_changing_its_status()
    {
        Record(Notice("feedback", "not-a-bounce", hard: false, kind: BounceKinds.Complaint, id: "arf-1"));
        var (types, result) = Record(Notice("userunknown", "address-dead", hard: true, id: "dsn-2"));

        Assert.Equal([nameof(ReaderBounceReceived)], types);
        Assert.Equal((SubscriberStatus.Unsubscribed, "complaint"), (_state.Status, _state.StatusReason));
        Assert.False(result.ErrorStopped);
    }

    [Fact]
    public void A_report_for_an_address_that_never_subscribed_records_nothing()
    {
        var (events, result) = ReaderBounceDecisions.Record(new ReaderState(), Notice("userunknown", "address-dead", hard: true), () => EventStamp.Now(_time));

        Assert.Empty(events);
        Assert.Equal(BounceRecordOutcome.NoReader, result.Outcome);
    }

    [Fact]
    public void Event_ids_of_a_report_are_the_same_whoever_records_it_and_differ_per_report()
    {
        var at = _time.GetUtcNow();
        var first = ReaderBounceDecisions.Stamps("reader:t/m/a@b.jp", "dsn-1", at);
        var again = ReaderBounceDecisions.Stamps("reader:t/m/a@b.jp", "dsn-1", at);
        var other = ReaderBounceDecisions.Stamps("reader:t/m/a@b.jp", "dsn-2", at);

        var ids = new[] { first().Id, first().Id };
        Assert.Equal(ids, new[] { again().Id, again().Id });
        Assert.NotEqual(ids[0], ids[1]);
        Assert.DoesNotContain(other().Id, ids);
    }
}
