using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Readers;

namespace Hikyaku.Domain.Steps;

/// <summary>Where one story of the sequence stands for one reader.</summary>
/// <param name="DueAt">When the story comes (or came) due for the reader; null when it is never due for them.</param>
/// <param name="DeliveredAt">When the reader's provider accepted it, if it did.</param>
/// <param name="Missed">Why it was not delivered, when it came due and was not.</param>
public sealed record StoryStanding(string StoryId, DateTimeOffset? DueAt, DateTimeOffset? DeliveredAt, MissedStory? Missed)
{
    public bool CameDue(DateTimeOffset now) => DueAt <= now;
}

/// <summary>
/// Replays a reader's history against a magazine's step sequence: for each story, when it is due for this reader,
/// whether it was delivered, or missed and why. Nothing is stored besides the reader's own events; this is the fold.
/// </summary>
/// <remarks>
/// The rules, in the order they apply:
/// <list type="bullet">
/// <item>The schedule runs from the reader's <b>latest</b> subscription: a re-subscription starts it again, so a story
/// missed in an earlier subscription comes due once more. A delivery from any subscription counts, because a message
/// with a final result is never sent to the reader twice (<see cref="Readers.ReaderDecisions.Prepare"/>).</item>
/// <item>A story is due at subscription + <c>after</c>. A story added after that moment was not there when the reader
/// passed it: it is not due for this reader, unless the tenant set <c>backfill</c>, and then it is due when it was added.</item>
/// <item>Nothing is due at or after the reader unsubscribed; a reader who never subscribed is due nothing.</item>
/// <item>A due story whose provider accepted it is delivered, unless a later bounce for it came back: then it
/// <c>failed</c> with the report's words (a complaint is not a failure).</item>
/// <item>A due story not delivered is missed, explained by the first of: its own final attempt (<c>error-stopped</c> or
/// <c>failed</c> with the reply; <c>held</c> when its hold expired); the reader's state when it came due (held by a
/// block, error-stopped, or paused by an operator); the first hold, error stop or pause after that, which is what stands between the reader and the
/// story still owed; otherwise <c>not-sent</c>.</item>
/// </list>
/// </remarks>
public static class StepReplay
{
    public static IReadOnlyList<StoryStanding> Replay(IReadOnlyList<ReaderEvent> history, IReadOnlyList<StoryStep> sequence, DateTimeOffset now)
    {
        var subscribed = history.OfType<ReaderSubscribed>().LastOrDefault();
        if (subscribed is null)
        {
            return [.. StorySequence.Ordered(sequence).Select(s => new StoryStanding(s.Id, null, null, null))];
        }

        var tail = history.SkipWhile(e => !ReferenceEquals(e, subscribed)).ToList();
        var endsAt = tail.OfType<ReaderUnsubscribed>().FirstOrDefault()?.At;
        var stops = Stops(tail);
        var messages = Messages.Of(history);
        var result = new List<StoryStanding>(sequence.Count);
        foreach (var story in StorySequence.Ordered(sequence))
        {
            var due = DueAt(story, subscribed.At);
            if (due is null || due >= endsAt)
            {
                result.Add(new(story.Id, null, null, null));
                continue;
            }

            var key = MessageKey.Story(story.Id).ToString();
            var delivered = messages.Delivered.GetValueOrDefault(key);
            var bounced = delivered is not null && messages.Bounced.TryGetValue(key, out var b) && b.At >= delivered.At ? b : null;
            if (delivered is not null && bounced is null)
            {
                result.Add(new(story.Id, due, delivered.At, null));
                continue;
            }

            var missed = due > now
                ? null
                : bounced is not null
                    ? new MissedStory(story.Id, due.Value, bounced.Result == RecipientResults.ErrorStopped ? MissedReasons.ErrorStopped : MissedReasons.Failed,
                        Reply: ReaderBounceDecisions.ReplyWords(bounced.ReplyCode, bounced.Status, bounced.Diagnostic))
                    : OwnFinal(messages, key, story.Id, due.Value) ?? ByState(stops, story.Id, due.Value);
            result.Add(new(story.Id, due, null, missed));
        }

        return result;
    }

    /// <summary>The stories that came due by <paramref name="now"/> and were not delivered, in sequence order.</summary>
    public static IReadOnlyList<MissedStory> Missed(IReadOnlyList<ReaderEvent> history, IReadOnlyList<StoryStep> sequence, DateTimeOffset now) =>
        [.. Replay(history, sequence, now).Select(s => s.Missed).OfType<MissedStory>()];

    /// <summary>When <paramref name="story"/> is due for a reader subscribed at <paramref name="subscribedAt"/>; null when never.</summary>
    public static DateTimeOffset? DueAt(StoryStep story, DateTimeOffset subscribedAt)
    {
        var due = subscribedAt + story.After;
        return story.AddedAt <= due ? due : story.Backfill ? story.AddedAt : null;
    }

    private sealed record Stop(string Reason, string? BlockId, string? Reply);

    /// <summary>The reader's state changes after subscribing: a stop (held, error-stopped) or null for active again.</summary>
    private static List<(DateTimeOffset At, Stop? Stop)> Stops(IEnumerable<ReaderEvent> tail)
    {
        var changes = new List<(DateTimeOffset, Stop?)>();
        foreach (var e in tail)
        {
            switch (e)
            {
                case ReaderHeld h:
                    changes.Add((h.At, new Stop(MissedReasons.Held, BlockOf(h.Reason), null)));
                    break;
                case ReaderErrorStopped s:
                    changes.Add((s.At, new Stop(MissedReasons.ErrorStopped, null, s.Reply ?? s.Reason)));
                    break;
                case ReaderPaused p:
                    changes.Add((p.At, new Stop(MissedReasons.Paused, null, null)));
                    break;
                case var back when ReaderDecisions.ReturnsToActive(back):
                    changes.Add((back.At, null));
                    break;
            }
        }

        return changes;
    }

    /// <summary>Each message's last delivery, last final attempt, last hold expiry and last bounce (not complaint), by message key: one pass.</summary>
    private sealed record Messages(
        Dictionary<string, DeliveryAttempted> Delivered,
        Dictionary<string, DeliveryAttempted> Final,
        Dictionary<string, ReaderHoldExpired> Expired,
        Dictionary<string, ReaderBounceReceived> Bounced)
    {
        public static Messages Of(IReadOnlyList<ReaderEvent> history)
        {
            var m = new Messages(new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));
            foreach (var e in history)
            {
                switch (e)
                {
                    case DeliveryAttempted a when a.Result == RecipientResults.Delivered:
                        m.Delivered[a.MessageKey] = a;
                        m.Final[a.MessageKey] = a;
                        break;
                    case DeliveryAttempted a when RecipientResults.IsFinal(a.Result):
                        m.Final[a.MessageKey] = a;
                        break;
                    case ReaderHoldExpired x:
                        m.Expired[x.Message] = x;
                        break;
                    case ReaderBounceReceived b when BounceKinds.IsFailure(b.Kind):
                        m.Bounced[b.MessageKey] = b;
                        break;
                }
            }

            return m;
        }
    }

    private static MissedStory? OwnFinal(Messages messages, string key, string storyId, DateTimeOffset due)
    {
        var expired = messages.Expired.GetValueOrDefault(key);
        var attempt = messages.Final.GetValueOrDefault(key);
        if (expired is not null && (attempt is null || expired.At > attempt.At))
        {
            return new MissedStory(storyId, due, MissedReasons.Held, BlockId: expired.BlockId);
        }

        return attempt?.Result switch
        {
            null => null,
            RecipientResults.ErrorStopped => new MissedStory(storyId, due, MissedReasons.ErrorStopped, Reply: ReaderState.FormatReply(attempt.Reply)),
            _ => new MissedStory(storyId, due, MissedReasons.Failed, Reply: ReaderState.FormatReply(attempt.Reply)),
        };
    }

    private static MissedStory ByState(List<(DateTimeOffset At, Stop? Stop)> changes, string storyId, DateTimeOffset due)
    {
        var atDue = changes.LastOrDefault(c => c.At <= due).Stop;
        var stop = atDue ?? changes.FirstOrDefault(c => c.At > due && c.Stop is not null).Stop;
        return stop is null
            ? new MissedStory(storyId, due, MissedReasons.NotSent)
            : new MissedStory(storyId, due, stop.Reason, stop.BlockId, stop.Reply);
    }

    /// <summary><c>block:{id}</c> → the block's id; a hold for another reason names none.</summary>
    private static string? BlockOf(string reason) => reason.StartsWith("block:", StringComparison.Ordinal) ? reason["block:".Length..] : null;
}
