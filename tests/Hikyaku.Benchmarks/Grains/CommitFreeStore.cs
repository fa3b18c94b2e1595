using System.Collections.Concurrent;
using Hikyaku.EventStore;
using Hikyaku.EventStore.GroupCommit;

namespace Hikyaku.Benchmarks.Grains;

/// <summary>
/// A store that keeps only stream versions and answers every batch at once: the grain path and the group-commit
/// batcher with no database behind them. What the grain-path scenario measures with <c>--backend none</c> is
/// the ceiling the grains themselves allow; the gap to a real backend is the database's share.
/// </summary>
internal sealed class CommitFreeStore() : GroupCommitEventStore("none", new EventStoreOptions(), null)
{
    private readonly ConcurrentDictionary<string, int> _versions = new(StringComparer.Ordinal);

    public override ISubscriberIndex Subscribers => throw new NotSupportedException("the commit-free store keeps no projections");

    public override Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, int afterVersion = 0, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<StoredEvent>>([]);

    public override Task<int> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_versions.GetValueOrDefault(streamId));

    public override Task<Snapshot?> ReadSnapshotAsync(string streamId, CancellationToken cancellationToken = default) => Task.FromResult<Snapshot?>(null);

    public override Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public override Task<IReadOnlyList<LoggedEvent>> ReadAllAsync(long afterPosition, int limit, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<LoggedEvent>>([]);

    public override Task<long?> ReadCheckpointAsync(string name, CancellationToken cancellationToken = default) => Task.FromResult<long?>(null);

    public override Task WriteCheckpointAsync(string name, long position, CancellationToken cancellationToken = default) => Task.CompletedTask;

    protected override AppendResult[] CommitBatch(IReadOnlyList<AppendRequest> batch, IReadOnlyList<Snapshot> snapshots)
    {
        var results = new AppendResult[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var request = batch[i];
            var current = _versions.GetValueOrDefault(request.StreamId);
            if (current != request.ExpectedVersion)
            {
                results[i] = new AppendResult(AppendStatus.Conflict, current);
                continue;
            }

            _versions[request.StreamId] = current + request.Events.Count;
            results[i] = new AppendResult(AppendStatus.Appended, current + request.Events.Count);
        }

        return results;
    }

    protected override bool IsAppendFault(Exception exception) => false;

    protected override ValueTask DisposeBackendAsync() => ValueTask.CompletedTask;
}
