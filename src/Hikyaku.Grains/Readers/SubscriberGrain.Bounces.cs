using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Readers;

namespace Hikyaku.Grains.Readers;

/// <summary>Late reports: bounces and complaints that came back after the message was accepted.</summary>
public sealed partial class SubscriberGrain
{
    public async Task<BounceRecordResult> RecordBounce(BounceNotice notice)
    {
        var (events, result) = ReaderBounceDecisions.Record(State, notice, ReaderBounceDecisions.Stamps(StreamId, notice.BounceId, Time.GetUtcNow()));
        if (events.Count > 0)
        {
            RaiseEvents(events);
            await ConfirmEvents();
        }

        return result;
    }
}
