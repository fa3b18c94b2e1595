using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Delivery;
using Hikyaku.Domain.Readers;
using Microsoft.Extensions.Time.Testing;

namespace Hikyaku.Domain.Tests;

/// <summary>A mailbox that is disabled, suspended or full is soft once; on N messages in a row the reader is error-stopped.</summary>
public class SoftStopTests
{
    private static readonly ReplyRecord Full = new(552, "5.2.2", "Mailbox full: user is over quota", ReplyStage.Rcpt, true);
    private static readonly ReplyRecord Disabled = new(550, "5.2.1", "The email account that you tried to reach is disabled", ReplyStage.Rcpt, true);
    private static readonly ReplyRecord Accepted = new(250, "2.0.0", "OK", ReplyStage.Data, true);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
    private readonly ReaderState _reader = new();
    private int _issue;

    private SoftStopTests Subscribed()
    {
        _reader.Apply(ReaderDecisions.Subscribe(_reader, "taro@example.jp", null, null, "api", EventStamp.Now(_time)).Value!);
        return this;
    }

    /// <summary>The next issue's attempt with <paramref name="reply"/>; the events it adds.</summary>
    private IReadOnlyList<ReaderEvent> Issue(ReplyRecord reply, int softStopAfter = 3)
    {
        var classified = ReplyRecords.Classified(reply);
        var report = new AttemptReport(MessageKey.Broadcast($"b{++_issue}"), "<m@x>", "127.0.0.2", "mx.example.jp", classified, string.Empty, 0, DeliveryDecision.Decide(reply, false));
        var (events, _) = ReaderDecisions.RecordAttempt(_reader, report, () => EventStamp.Now(_time), softStopAfter);
        foreach (var e in events)
        {
            _reader.Apply(e);
        }

        _time.Advance(TimeSpan.FromDays(1));
        return events;
    }

    [Fact]
    public void A_full_or_disabled_mailbox_on_three_messages_in_a_row_error_stops_the_reader_with_that_reason()
    {
        Subscribed();

        Assert.Single(Issue(Full));
        Assert.Single(Issue(Disabled));
        Assert.Equal(SubscriberStatus.Active, _reader.Status);
        var third = Issue(Full);

        var stop = Assert.IsType<ReaderErrorStopped>(third[^1]);
        Assert.Equal((SubscriberStatus.ErrorStopped, "mailboxfull"), (_reader.Status, stop.Reason));
        Assert.Contains("over quota", stop.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public void A_delivery_between_them_starts_the_count_again_and_so_does_a_restore()
    {
        Subscribed();
        Issue(Full);
        Issue(Full);
        Issue(Accepted);
        Issue(Full);
        Issue(Full);
        Assert.Equal(SubscriberStatus.Active, _reader.Status);

        Issue(Full);
        Assert.Equal(SubscriberStatus.ErrorStopped, _reader.Status);
        _reader.Apply(ReaderDecisions.Restore(_reader, "api", EventStamp.Now(_time)).Value!);
        Issue(Full);
        Issue(Full);
        Assert.Equal(SubscriberStatus.Active, _reader.Status);
    }

    [Fact]
    public void The_tenants_count_decides()
    {
        Subscribed();
        Assert.IsType<ReaderErrorStopped>(Issue(Disabled, softStopAfter: 1)[^1]);
    }
}
