using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Validation;

namespace Hikyaku.Domain.Readers;

/// <summary>
/// The reader's row in the subscriber projection (by status and domain), folded from the same events as
/// <see cref="ReaderState"/> so it can be written in the same transaction as the events that change it.
/// </summary>
public sealed record ReaderIndexEntry(
    string Email,
    string Domain,
    string Status,
    string? StatusReason,
    DateTimeOffset SubscribedAt,
    DateTimeOffset UpdatedAt,
    string? LastReply,
    string? StepStory = null,
    DateTimeOffset? StepDueAt = null)
{
    public static ReaderIndexEntry? From(ReaderState state) =>
        state.Exists
            ? new(state.Email!, EmailAddress.DomainOf(state.Email!), state.Status!, state.StatusReason, state.SubscribedAt, state.StatusSince, state.LastReply,
                state.StepStory, state.StepDueAt)
            : null;

    /// <summary>
    /// The last reply as the projection shows it: only for readers who are not active (the 不達読者一覧 shows it),
    /// so an active reader's row does not change with every delivery and deliveries cost the projection nothing.
    /// </summary>
    public string? ProjectedLastReply => Status == SubscriberStatus.Active ? null : LastReply;

    /// <summary>Whether the projection row of this entry and of <paramref name="other"/> would be the same.</summary>
    public bool SameRowAs(ReaderIndexEntry? other) =>
        other is not null && other.Email == Email && other.Domain == Domain && other.Status == Status && other.StatusReason == StatusReason &&
        other.SubscribedAt == SubscribedAt && other.UpdatedAt == UpdatedAt && other.ProjectedLastReply == ProjectedLastReply &&
        other.StepStory == StepStory && other.StepDueAt == StepDueAt;

    /// <summary>The row after <paramref name="events"/>, starting from <paramref name="current"/>.</summary>
    public static ReaderIndexEntry? Fold(ReaderIndexEntry? current, IEnumerable<ReaderEvent> events)
    {
        // Folding a throwaway state keeps one definition of what each event does to status.
        var state = new ReaderState();
        if (current is not null)
        {
            state.Email = current.Email;
            state.Status = current.Status;
            state.StatusReason = current.StatusReason;
            state.SubscribedAt = current.SubscribedAt;
            state.StatusSince = current.UpdatedAt;
            state.LastReply = current.LastReply;
            state.StepStory = current.StepStory;
            state.StepDueAt = current.StepDueAt;
        }

        foreach (var e in events)
        {
            state.Apply(e);
        }

        return From(state);
    }
}
