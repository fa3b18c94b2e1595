using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Domain.Readers;

/// <summary>A reader of one magazine, folded from its history.</summary>
[GenerateSerializer]
public sealed class ReaderState : IEventSourcedState<ReaderEvent>
{
    [Id(0)] public string? Email { get; set; }

    [Id(1)] public string? Name { get; set; }

    [Id(2)] public Dictionary<string, string> Fields { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Null until the reader first subscribes.</summary>
    [Id(3)] public string? Status { get; set; }

    [Id(4)] public string? StatusReason { get; set; }

    [Id(5)] public DateTimeOffset SubscribedAt { get; set; }

    [Id(6)] public DateTimeOffset StatusSince { get; set; }

    /// <summary>Consecutive permanent failures since the last delivery or restore.</summary>
    [Id(7)] public int ErrorCount { get; set; }

    /// <summary>Step stories delivered so far (the position in the magazine's step sequence).</summary>
    [Id(8)] public int StepPosition { get; set; }

    [Id(9)] public string? LastReply { get; set; }

    /// <summary>Messages with a final result for this reader (message key → result): never sent twice.</summary>
    /// <remarks>
    /// A plain dictionary: looked up and added to for every delivery, it grows with the reader's whole history. The
    /// journaled grain applies events to its confirmed state in place and copies the state only for a tentative view,
    /// which the grains never ask for (an immutable dictionary cost about a tenth of the delivery path's CPU).
    /// </remarks>
    [Id(10)] public Dictionary<string, string> FinalResults { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Late reports (bounces, complaints) already recorded, by their id: the same report twice is one event.</summary>
    [Id(11)] public HashSet<string> BounceIds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The next step story owed and when it is due (null: none), as last scheduled.</summary>
    [Id(12)] public string? StepStory { get; set; }

    [Id(13)] public DateTimeOffset? StepDueAt { get; set; }

    /// <summary>The last step story delivered, if any.</summary>
    [Id(14)] public string? StepLast { get; set; }

    /// <summary>Missed stories put aside at a return to active (not sent unless resent).</summary>
    [Id(15)] public HashSet<string> StoriesSetAside { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How much later than subscription + <c>after</c> the stories not yet delivered are due (shift-schedule).</summary>
    [Id(16)] public TimeSpan StepShift { get; set; }

    /// <summary>Messages in a row that ended refused for a disabled, suspended or full mailbox (reset by a delivery or a restore).</summary>
    [Id(17)] public int SoftFailures { get; set; }

    public bool Exists => Status is not null;

    [NonSerialized] private bool? _deliveredBefore;

    /// <summary>Some message of this reader's history was accepted by its provider: the mailbox existed then.</summary>
    public bool DeliveredBefore => _deliveredBefore ??= FinalResults.ContainsValue(RecipientResults.Delivered);

    public void Apply(ReaderEvent @event)
    {
        switch (@event)
        {
            case ReaderSubscribed e:
                Email = e.Email;
                Name = e.Name;
                Fields = e.Fields is null ? new(StringComparer.Ordinal) : new(e.Fields, StringComparer.Ordinal);
                SubscribedAt = e.At;
                SetStatus(SubscriberStatus.Active, null, e.At);
                ErrorCount = 0;
                SoftFailures = 0;
                StepPosition = 0;
                StepStory = null;
                StepDueAt = null;
                StoriesSetAside.Clear();
                StepShift = TimeSpan.Zero;
                break;
            case ReaderUnsubscribed e:
                SetStatus(SubscriberStatus.Unsubscribed, e.Reason, e.At);
                break;
            case ReaderHeld e:
                SetStatus(SubscriberStatus.Held, e.Reason, e.At);
                LastReply = e.Reply ?? LastReply;
                if (e.Reopens is { } reopened)
                {
                    FinalResults.Remove(reopened);
                }

                break;
            case ReaderErrorStopped e:
                SetStatus(SubscriberStatus.ErrorStopped, e.Reason, e.At);
                LastReply = e.Reply ?? LastReply;
                ErrorCount++;
                break;
            case DeliveryAttempted e:
                LastReply = FormatReply(e.Reply);
                if (RecipientResults.IsFinal(e.Result))
                {
                    FinalResults[e.MessageKey] = e.Result;
                    if (ReaderDecisions.IsSoftMailboxFailure(e.Result, e.Classification))
                    {
                        SoftFailures++;
                    }
                }

                if (e.Result == RecipientResults.Delivered)
                {
                    ErrorCount = 0;
                    SoftFailures = 0;
                    _deliveredBefore = true;
                    if (e.StoryId is { } story)
                    {
                        StepPosition++;
                        StepLast = story;
                    }
                }

                break;
            case ReaderBounceReceived e:
                BounceIds.Add(e.BounceId);
                break;
            case ReaderHoldExpired e:
                FinalResults[e.Message] = RecipientResults.HeldExpired;
                break;
            case ReaderRestored e:
                SetStatus(SubscriberStatus.Active, null, e.At);
                ErrorCount = 0;
                SoftFailures = 0;
                break;
            case ReaderPaused e:
                SetStatus(SubscriberStatus.Paused, $"paused by {e.By}", e.At);
                break;
            case ReaderResumed e:
                SetStatus(SubscriberStatus.Active, null, e.At);
                break;
            case ReaderStepScheduled e:
                StepStory = e.StoryId;
                StepDueAt = e.DueAt;
                break;
            case ReaderStoriesSetAside e:
                StoriesSetAside.UnionWith(e.StoryIds);
                break;
            case ReaderStoriesQueued e:
                foreach (var story in e.StoryIds)
                {
                    StoriesSetAside.Remove(story);
                    var key = MessageKey.Story(story).ToString();
                    if (FinalResults.TryGetValue(key, out var final) && final != RecipientResults.Delivered)
                    {
                        FinalResults.Remove(key);
                    }
                }

                break;
            case ReaderStepShifted e:
                StepShift += e.By;
                break;
            default:
                throw new InvalidOperationException($"ReaderState cannot apply {@event.GetType().Name}");
        }
    }

    public SubscriberView ToView() =>
        new(Email ?? string.Empty, Status ?? SubscriberStatus.Active, StatusReason, SubscribedAt, StepPosition, Name, Fields, StepLast, StepStory, StepDueAt);

    /// <summary>A copy of what the step schedule reads (status, subscription, final results, next story), to fold pending events on.</summary>
    public ReaderState StepCopy() => new()
    {
        Email = Email, Status = Status, StatusReason = StatusReason, SubscribedAt = SubscribedAt, StatusSince = StatusSince,
        FinalResults = new(FinalResults, StringComparer.Ordinal), StepStory = StepStory, StepDueAt = StepDueAt, StepLast = StepLast, StepPosition = StepPosition,
        StoriesSetAside = new(StoriesSetAside, StringComparer.Ordinal), StepShift = StepShift,
    };

    /// <summary>A reply as one line: code, enhanced status code (when there is one), text.</summary>
    public static string FormatReply(ReplyRecord r) => r.Enhanced is null ? $"{r.Code} {r.Text}" : $"{r.Code} {r.Enhanced} {r.Text}";

    private void SetStatus(string status, string? reason, DateTimeOffset at)
    {
        Status = status;
        StatusReason = reason;
        StatusSince = at;
    }
}
