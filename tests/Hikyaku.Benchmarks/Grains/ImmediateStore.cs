using Hikyaku.EventStore;

namespace Hikyaku.Benchmarks.Grains;

/// <summary>
/// A store that answers every append at once, on the caller's thread, with no batcher: the grain's write cycle runs
/// to its end in one turn. Against <see cref="CommitFreeStore"/> (the group-commit batcher, no database) it shows what
/// waiting for a group commit costs a grain: its turn ends, and it is scheduled again when the batch is answered.
/// </summary>
internal sealed class ImmediateStore : IEventStore
{
    public Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new AppendResult(AppendStatus.Appended, request.ExpectedVersion + request.Events.Count));

    public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, int afterVersion = 0, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<StoredEvent>>([]);

    public Task<int> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) => Task.FromResult(0);

    public Task<Snapshot?> ReadSnapshotAsync(string streamId, CancellationToken cancellationToken = default) => Task.FromResult<Snapshot?>(null);

    public Task WriteSnapshotAsync(Snapshot snapshot, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public ISubscriberIndex Subscribers => throw new NotSupportedException();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
