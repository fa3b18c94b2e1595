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

    public async Task<Outcome<IReadOnlyList<string>>> ResendMissed()
    {
        if (!State.Exists)
        {
            return CommandError.NotFound("no such reader");
        }

        if (State.Status != SubscriberStatus.Active)
        {
            return CommandError.Conflict($"the reader is {State.Status}: restore it first (its missed stories then follow the magazine's catch-up policy)");
        }

        var sequence = await sequences.Get(Key.TenantId, Key.MagazineId);
        var stories = StepSchedule.Resendable(State, sequence, Time.GetUtcNow());
        if (stories.Count > 0)
        {
            var stamp = NewStamp();
            await Append(await WithNextStory([new ReaderStoriesQueued(stamp.Id, stamp.At, stories, StepSchedule.Resend)], StepSchedule.Resend, sequence));
        }

        return Outcome<IReadOnlyList<string>>.Ok(stories);
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
