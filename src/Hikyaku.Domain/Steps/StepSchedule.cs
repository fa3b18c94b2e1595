using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Readers;

namespace Hikyaku.Domain.Steps;

/// <summary>What the magazine and the tenant say about missed stories when a reader comes back to active.</summary>
/// <param name="Policy">The magazine's catch-up policy (<see cref="CatchUpPolicies"/>).</param>
/// <param name="AutoResend">The tenant's <c>autoResendMissed</c>: without it, missed stories wait for the operator.</param>
public sealed record CatchUpRule(string Policy, bool AutoResend);

/// <summary>
/// A reader's next step story: the first story of the sequence, in sending order, that is due for the reader
/// (<see cref="StepReplay.DueAt"/>, later by the reader's shift), has no final result in its history and was not put aside.
/// Stories go one at a time: the next is scheduled when the one before has a final result, so a reader gets them in order,
/// never two at once. When the reader comes back to active (a block released, an incident undone, a manual restore), the
/// stories it missed are queued, put aside or shifted by the magazine's catch-up policy, before the next is decided.
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

    /// <summary>The reader came back to active: its missed stories were dealt with by the catch-up policy.</summary>
    public const string Returned = "returned";

    /// <summary>An operator resent the reader's missed stories.</summary>
    public const string Resend = "resend";

    /// <summary>Why missed stories are put aside when nothing resends them automatically.</summary>
    public const string AwaitingOperator = "awaiting-operator";

    /// <summary>The next story owed to the reader and when it is due; null when none (or the reader has left).</summary>
    public static (string StoryId, DateTimeOffset DueAt)? Next(ReaderState state, IReadOnlyList<StoryStep> sequence)
    {
        if (!state.Exists || state.Status == SubscriberStatus.Unsubscribed)
        {
            return null;
        }

        foreach (var story in StorySequence.Ordered(sequence))
        {
            if (DueAt(state, story) is { } due && !state.FinalResults.ContainsKey(MessageKey.Story(story.Id).ToString()) && !state.StoriesSetAside.Contains(story.Id))
            {
                return (story.Id, due);
            }
        }

        return null;
    }

    /// <summary>When <paramref name="story"/> is due for the reader, its shift included; null when never.</summary>
    public static DateTimeOffset? DueAt(ReaderState state, StoryStep story) => StepReplay.DueAt(story, state.SubscribedAt) + state.StepShift;

    /// <summary>
    /// The stories that came due by <paramref name="now"/> and did not reach the reader, in sequence order: never attempted
    /// (the reader was stopped), put aside, or ended without delivery (a hold that expired, a refusal).
    /// </summary>
    public static IReadOnlyList<string> Missed(ReaderState state, IReadOnlyList<StoryStep> sequence, DateTimeOffset now) =>
        [.. MissedSteps(state, sequence, now).Select(m => m.Id)];

    /// <summary><see cref="Missed"/> with each story's due time for the reader.</summary>
    private static IEnumerable<(string Id, DateTimeOffset Due)> MissedSteps(ReaderState state, IReadOnlyList<StoryStep> sequence, DateTimeOffset now) =>
        StorySequence.Ordered(sequence)
            .Select(s => (s.Id, Due: DueAt(state, s)))
            .Where(s => s.Due <= now && state.FinalResults.GetValueOrDefault(MessageKey.Story(s.Id).ToString()) != RecipientResults.Delivered)
            .Select(s => (s.Id, s.Due!.Value));

    /// <summary>
    /// The missed stories an operator's resend queues: put aside, or ended without delivery. A story still owed is on its
    /// way already (nothing to queue), and a delivered one never goes twice.
    /// </summary>
    public static IReadOnlyList<string> Resendable(ReaderState state, IReadOnlyList<StoryStep> sequence, DateTimeOffset now) =>
        [.. Missed(state, sequence, now).Where(id => state.StoriesSetAside.Contains(id) || state.FinalResults.ContainsKey(MessageKey.Story(id).ToString()))];

    /// <summary>
    /// The events that record the reader's next story after <paramref name="pending"/> (events about to be appended) are
    /// applied: when they bring the reader back to active and <paramref name="catchUp"/> is given, first what becomes of
    /// its missed stories. Empty when nothing changes.
    /// </summary>
    public static IReadOnlyList<ReaderEvent> After(
        ReaderState state, IReadOnlyList<ReaderEvent> pending, IReadOnlyList<StoryStep> sequence, string why, Func<EventStamp> stamp, CatchUpRule? catchUp = null)
    {
        var probe = state.StepCopy();
        foreach (var e in pending)
        {
            probe.Apply(e);
        }

        var now = stamp();
        var events = new List<ReaderEvent>();
        if (catchUp is not null && pending.LastOrDefault(ReaderDecisions.ReturnsToActive) is { } back)
        {
            foreach (var e in CatchUp(probe, sequence, catchUp, Lost(state, sequence, back.At), now.At, stamp))
            {
                probe.Apply(e);
                events.Add(e);
            }

            why = Returned;
        }

        var next = Next(probe, sequence);
        if (next?.StoryId != probe.StepStory || next?.DueAt != probe.StepDueAt)
        {
            events.Add(new ReaderStepScheduled(now.Id, now.At, next?.StoryId, next?.DueAt, why));
        }

        return events;
    }

    /// <summary>
    /// How long the reader's schedule stood still until <paramref name="back"/>: from the stop (a hold, an error stop), or from
    /// the due time of a story it was already owed then, when that is earlier. A story held in a lane before the block was
    /// recorded is late from its due time, and shifting the rest by that keeps their distance from it.
    /// </summary>
    private static TimeSpan Lost(ReaderState before, IReadOnlyList<StoryStep> sequence, DateTimeOffset back)
    {
        var from = before.StatusSince;
        foreach (var (_, due) in MissedSteps(before, sequence, back).Take(1))
        {
            from = due < from ? due : from;
        }

        return back - from;
    }

    /// <summary>What the catch-up policy does with the stories a reader back from a hold or a stop missed over <paramref name="lost"/>.</summary>
    private static IEnumerable<ReaderEvent> CatchUp(ReaderState reader, IReadOnlyList<StoryStep> sequence, CatchUpRule rule, TimeSpan lost, DateTimeOffset at, Func<EventStamp> stamp)
    {
        var missed = Missed(reader, sequence, at);
        if (missed.Count == 0)
        {
            if (rule is { AutoResend: true, Policy: CatchUpPolicies.ShiftSchedule } && lost > TimeSpan.Zero)
            {
                // Nothing missed, but the story the reader was held on went late: the rest keep their distance from it.
                yield return new ReaderStepShifted(stamp().Id, at, lost);
            }

            yield break;
        }

        if (!rule.AutoResend)
        {
            yield return new ReaderStoriesSetAside(stamp().Id, at, missed, AwaitingOperator);
            yield break;
        }

        switch (rule.Policy)
        {
            case CatchUpPolicies.LatestOnly:
                if (missed.Count > 1)
                {
                    yield return new ReaderStoriesSetAside(stamp().Id, at, missed.Take(missed.Count - 1).ToList(), rule.Policy);
                }

                yield return new ReaderStoriesQueued(stamp().Id, at, [missed[^1]], rule.Policy);
                break;
            case CatchUpPolicies.ShiftSchedule:
                if (lost > TimeSpan.Zero)
                {
                    yield return new ReaderStepShifted(stamp().Id, at, lost);
                }

                yield return new ReaderStoriesQueued(stamp().Id, at, missed, rule.Policy);
                break;
            case CatchUpPolicies.Skip:
                yield return new ReaderStoriesSetAside(stamp().Id, at, missed, rule.Policy);
                break;
            default:
                yield return new ReaderStoriesQueued(stamp().Id, at, missed, rule.Policy);
                break;
        }
    }
}
