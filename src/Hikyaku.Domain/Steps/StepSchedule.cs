using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Readers;

namespace Hikyaku.Domain.Steps;

/// <summary>
/// A reader's next step story: the first story of the sequence, in sending order, that is due for the reader
/// (<see cref="StepReplay.DueAt"/>) and has no final result in its history yet. Stories go one at a time: the next is
/// scheduled when the one before has a final result, so a reader gets them in order, never two at once.
/// </summary>
public static class StepSchedule
{
    /// <summary>Reasons recorded with <see cref="ReaderStepScheduled"/>.</summary>
    public const string Subscribed = "subscribed";

    public const string StoryFinal = "story-final";

    public const string SequenceChanged = "sequence-changed";

    public const string Unsubscribed = "unsubscribed";

    /// <summary>A story's error stop was taken back (a block behind it): the story is owed again.</summary>
    public const string StoryReopened = "story-reopened";

    /// <summary>The next story owed to the reader and when it is due; null when none (or the reader has left).</summary>
    public static (string StoryId, DateTimeOffset DueAt)? Next(ReaderState state, IReadOnlyList<StoryStep> sequence)
    {
        if (!state.Exists || state.Status == SubscriberStatus.Unsubscribed)
        {
            return null;
        }

        foreach (var story in StorySequence.Ordered(sequence))
        {
            if (StepReplay.DueAt(story, state.SubscribedAt) is { } due && !state.FinalResults.ContainsKey(MessageKey.Story(story.Id).ToString()))
            {
                return (story.Id, due);
            }
        }

        return null;
    }

    /// <summary>
    /// The event that records the reader's next story after <paramref name="pending"/> (events about to be appended) are
    /// applied; null when it stays as recorded.
    /// </summary>
    public static ReaderStepScheduled? After(ReaderState state, IReadOnlyList<ReaderEvent> pending, IReadOnlyList<StoryStep> sequence, string why, EventStamp stamp)
    {
        var probe = state.StepCopy();
        foreach (var e in pending)
        {
            probe.Apply(e);
        }

        var next = Next(probe, sequence);
        return next?.StoryId == probe.StepStory && next?.DueAt == probe.StepDueAt
            ? null
            : new ReaderStepScheduled(stamp.Id, stamp.At, next?.StoryId, next?.DueAt, why);
    }
}
