using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Steps;

namespace Hikyaku.Grains.Readers;

/// <summary>Step mail as the reader's history tells it: the missed stories are a replay of its events, not a stored list.</summary>
public sealed partial class SubscriberGrain
{
    public async Task<IReadOnlyList<MissedStory>?> MissedStories(IReadOnlyList<StoryStep> sequence)
    {
        if (!State.Exists)
        {
            return null;
        }

        var events = (await Services.Store.ReadStreamAsync(StreamId)).Select(e => (ReaderEvent)Services.Serializer.FromStored(e)).ToList();
        return StepReplay.Missed(events, sequence, Time.GetUtcNow());
    }

    public async Task<bool> Reschedule(IReadOnlyList<StoryStep> sequence)
    {
        if (!State.Exists)
        {
            return false;
        }

        var events = await WithNextStory([], StepSchedule.SequenceChanged, sequence);
        if (events.Count == 0)
        {
            return false;
        }

        await Append(events);
        return true;
    }
}
