using Hikyaku.Contracts.Events;
using Hikyaku.Domain.Readers;
using Hikyaku.EventStore;

namespace Hikyaku.Grains.Projections;

/// <summary>
/// One reader's projection row folded from its stream, event by event, with the code the grain uses
/// (<see cref="ReaderIndexEntry.Fold"/>). The entry keeps the last reply even while the row hides it
/// (<see cref="ReaderIndexEntry.ProjectedLastReply"/>): a later hold or stop without a reply of its own shows it.
/// </summary>
internal sealed class ReaderRowFold(string streamId)
{
    /// <summary>The stream version folded so far.</summary>
    public int Version { get; private set; }

    /// <summary>
    /// The version of the event that last changed the row. The grain stamps the row with the last version of
    /// the append that changed it; every reader decision puts its status-changing event last, so the two agree.
    /// </summary>
    public int RowVersion { get; private set; }

    public ReaderIndexEntry? Entry { get; private set; }

    /// <summary>Folds the next event; true when the row changed.</summary>
    public bool Apply(int version, ReaderEvent @event)
    {
        var next = ReaderIndexEntry.Fold(Entry, [@event]);
        var changed = next is not null && !next.SameRowAs(Entry);
        Entry = next;
        Version = version;
        if (changed)
        {
            RowVersion = version;
        }

        return changed;
    }

    public SubscriberRow? ToRow()
    {
        if (Entry is not { } entry)
        {
            return null;
        }

        var (tenant, magazine, _) = Storage.GrainKeys.SplitReader(streamId[SubscriberRebuildOptions.ReaderStreams.Length..]);
        return new SubscriberRow(tenant, magazine, entry.Email, entry.Domain, entry.Status, entry.StatusReason, entry.SubscribedAt, entry.UpdatedAt, entry.ProjectedLastReply, RowVersion, entry.StepStory, entry.StepDueAt);
    }
}
