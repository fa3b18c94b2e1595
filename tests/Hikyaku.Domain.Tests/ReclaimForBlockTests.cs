using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Readers;

namespace Hikyaku.Domain.Tests;

/// <summary>A block found behind a refusal takes the reader back: held by the block, the message's result open again.</summary>
public class ReclaimForBlockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
    private static readonly MessageKey S1 = MessageKey.Story("s1");

    private static ReaderState Reader(params ReaderEvent[] events)
    {
        var state = new ReaderState();
        state.Apply(new ReaderSubscribed(Guid.NewGuid(), T0, "k@docomo.ne.jp", null, null, "api"));
        foreach (var e in events)
        {
            state.Apply(e);
        }

        return state;
    }

    private static DeliveryAttempted Attempt(string result, int code = 550, string text = "Unknown user k@docomo.ne.jp") =>
        new(Guid.NewGuid(), T0.AddSeconds(20), S1.ToString(), "step", null, "s1", "<m@x>", "127.0.0.3", "mfsmax.docomo.ne.jp",
            new ReplyRecord(code, null, text, ReplyStage.Data, true), "filtered", result, "");

    private static ReaderEvent? Reclaim(ReaderState state) =>
        ReaderDecisions.ReclaimForBlock(state, "docomo.1", S1, "127.0.0.2", new EventStamp(Guid.NewGuid(), T0.AddSeconds(21)));

    [Fact]
    public void A_carriers_filter_refusal_that_stopped_nobody_is_taken_back_like_an_error_stop()
    {
        var bounced = Reader(Attempt(RecipientResults.Bounced));
        var held = Assert.IsType<ReaderHeld>(Reclaim(bounced));
        Assert.Equal(("block:docomo.1", S1.ToString()), (held.Reason, held.Reopens));
        bounced.Apply(held);
        Assert.Equal(SubscriberStatus.Held, bounced.Status);
        Assert.False(bounced.FinalResults.ContainsKey(S1.ToString()));

        Assert.IsType<ReaderHeld>(Reclaim(Reader(Attempt(RecipientResults.ErrorStopped), new ReaderErrorStopped(Guid.NewGuid(), T0.AddSeconds(20), "userunknown", "550"))));
    }

    [Fact]
    public void A_delivered_message_an_open_one_or_a_reader_who_left_is_not_taken_back()
    {
        Assert.Null(Reclaim(Reader(Attempt(RecipientResults.Delivered, 250, "OK"))));
        Assert.Null(Reclaim(Reader(Attempt(RecipientResults.Deferred))));
        Assert.Null(Reclaim(Reader(Attempt(RecipientResults.Bounced), new ReaderUnsubscribed(Guid.NewGuid(), T0.AddSeconds(20), "api"))));
    }
}
