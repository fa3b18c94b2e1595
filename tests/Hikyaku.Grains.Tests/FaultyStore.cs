using Hikyaku.EventStore;

namespace Hikyaku.Grains.Tests;

/// <summary>
/// Wraps a real store and, when armed, lets the next append commit and then throws — the ambiguous failure
/// (a timeout after the commit) that makes Orleans' CustomStorage adaptor retry a write.
/// </summary>
public sealed class FaultyStore(IEventStore inner) : IEventStore
{
    private int _failAfterCommit;

    public IEventStore Inner => inner;

    public int AppendCalls;

    public int StreamReads;

    /// <summary>The <c>afterVersion</c> of the last stream read: where replay started.</summary>
    public int LastReadAfterVersion;

    public ISubscriberIndex Subscribers => inner.Subscribers;

    public void FailNextAppendAfterCommit() => Interlocked.Exchange(ref _failAfterCommit, 1);

    public async Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref AppendCalls);
        var result = await inner.AppendAsync(request, cancellationToken);
        if (Interlocked.Exchange(ref _failAfterCommit, 0) == 1)
        {
            throw new TimeoutException("simulated: the commit happened but its answer was lost");
        }

        return result;
    }

    public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, int afterVersion = 0, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref StreamReads);
        LastReadAfterVersion = afterVersion;
        return inner.ReadStreamAsync(streamId, afterVersion, cancellationToken);
    }

    public Task<int> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default) => inner.GetStreamVersionAsync(streamId, cancellationToken);

    public Task<Snapshot?> ReadSnapshotAsync(string streamId, CancellationToken cancellationToken = default) => inner.ReadSnapshotAsync(streamId, cancellationToken);

    public Task WriteSnapshotAsync(Snapshot snapshot, CancellationToken cancellationToken = default) => inner.WriteSnapshotAsync(snapshot, cancellationToken);

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
