using System.Collections.Immutable;
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
    /// Immutable collections here and in <see cref="BounceIds"/>: the journaled grain copies its state after every
    /// write, and these grow with the reader's whole history; an immutable collection is copied by reference.
    /// </remarks>
    [Id(10)] public ImmutableDictionary<string, string> FinalResults { get; set; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Late reports (bounces, complaints) already recorded, by their id: the same report twice is one event.</summary>
    [Id(11)] public ImmutableHashSet<string> BounceIds { get; set; } = ImmutableHashSet<string>.Empty;

    public bool Exists => Status is not null;

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
                StepPosition = 0;
                break;
            case ReaderUnsubscribed e:
                SetStatus(SubscriberStatus.Unsubscribed, e.Reason, e.At);
                break;
            case ReaderHeld e:
                SetStatus(SubscriberStatus.Held, e.Reason, e.At);
                LastReply = e.Reply ?? LastReply;
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
                    FinalResults = FinalResults.SetItem(e.MessageKey, e.Result);
                }

                if (e.Result == RecipientResults.Delivered)
                {
                    ErrorCount = 0;
                }

                break;
            case ReaderBounceReceived e:
                BounceIds = BounceIds.Add(e.BounceId);
                break;
            case ReaderRestored e:
                SetStatus(SubscriberStatus.Active, null, e.At);
                ErrorCount = 0;
                break;
            default:
                throw new InvalidOperationException($"ReaderState cannot apply {@event.GetType().Name}");
        }
    }

    public SubscriberView ToView() =>
        new(Email ?? string.Empty, Status ?? SubscriberStatus.Active, StatusReason, SubscribedAt, StepPosition, Name, Fields);

    private static string FormatReply(ReplyRecord r) => r.Enhanced is null ? $"{r.Code} {r.Text}" : $"{r.Code} {r.Enhanced} {r.Text}";

    private void SetStatus(string status, string? reason, DateTimeOffset at)
    {
        Status = status;
        StatusReason = reason;
        StatusSince = at;
    }
}
