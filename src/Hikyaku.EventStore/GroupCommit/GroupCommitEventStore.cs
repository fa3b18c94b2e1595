using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hikyaku.EventStore.GroupCommit;

/// <summary>
/// What both backends share: request validation and the group-commit writer. A backend supplies
/// <see cref="CommitBatch"/>, which writes a batch of appends to distinct streams in one
/// transaction and decides each one (appended, already appended, conflict) without failing the others.
/// </summary>
public abstract class GroupCommitEventStore : IEventStore, IEventLog
{
    private readonly AppendBatcher _batcher;

    /// <param name="backend">The backend's name ("postgres", "sqlite"), as the store's metrics tag it.</param>
    /// <param name="concurrentCommits">
    /// How many batches <see cref="CommitBatch"/> may be given at once (one writer thread each): 1 for a backend with a
    /// single writer connection; more lets the next batch commit while the database still works on the previous one.
    /// </param>
    protected GroupCommitEventStore(string backend, EventStoreOptions options, ILogger? logger, int concurrentCommits = 1)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Logger = logger ?? NullLogger.Instance;
        _batcher = new AppendBatcher(backend, options, CommitBatch, IsAppendFault, (count, ex) => Logger.AppendBatchFailed(count, ex), concurrentCommits);
    }

    public EventStoreOptions Options { get; }

    /// <summary>Transactions committed by the group-commit writer (appends divided by this = batching factor).</summary>
    public long CommittedBatches => _batcher.CommittedBatches;

    /// <summary>
    /// The meter of this store's group-commit instruments, named <c>Hikyaku.EventStore</c> and tagged with the backend:
    /// <c>hikyaku.eventstore.commit.duration</c> (s), <c>.commit.appends</c>, <c>.append.duration</c> (s, queued to
    /// answered), <c>.commit.failures</c>, and the current <c>.append.queued</c> and <c>.commit.active</c>.
    /// </summary>
    public Meter Meter => _batcher.Meter;

    public abstract ISubscriberIndex Subscribers { get; }

    protected ILogger Logger { get; }

    public Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default)
    {
        AppendRequestValidator.Validate(request);
        cancellationToken.ThrowIfCancellationRequested();
        return _batcher.EnqueueAsync(request, cancellationToken);
    }

    public abstract Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, int afterVersion = 0, CancellationToken cancellationToken = default);

    public abstract Task<int> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default);

    public abstract Task<Snapshot?> ReadSnapshotAsync(string streamId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="IEventStore.ReadStateAsync"/>
    public virtual Task<StreamState> ReadStateAsync(string streamId, string? snapshotType, CancellationToken cancellationToken = default) =>
        StreamState.ReadInTwoAsync(this, streamId, snapshotType, cancellationToken);

    /// <summary>Written in the group-commit writer's next transaction; a newer snapshot of the stream is never replaced by an older one.</summary>
    public Task WriteSnapshotAsync(Snapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentException.ThrowIfNullOrEmpty(snapshot.StreamId, nameof(snapshot));
        cancellationToken.ThrowIfCancellationRequested();
        return _batcher.EnqueueSnapshotAsync(snapshot, cancellationToken);
    }

    public abstract Task InitializeAsync(CancellationToken cancellationToken = default);

    public abstract Task<IReadOnlyList<LoggedEvent>> ReadAllAsync(long afterPosition, int limit, string? streamPrefix = null, CancellationToken cancellationToken = default);

    public abstract Task<long?> ReadCheckpointAsync(string name, CancellationToken cancellationToken = default);

    public abstract Task WriteCheckpointAsync(string name, long position, CancellationToken cancellationToken = default);

    /// <summary>Finishes the appends already queued, then releases the backend.</summary>
    public async ValueTask DisposeAsync()
    {
        await _batcher.DisposeAsync().ConfigureAwait(false);
        await DisposeBackendAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Writes appends to distinct streams, and snapshots (at most one per stream; an older one than the stored one
    /// is skipped), in one transaction; returns one result per request, in order. Either list may be empty.
    /// Throws only for infrastructure failures, which fail the whole batch. Called on a writer thread of its own, which
    /// it should block on the database rather than await it (see <see cref="AppendBatcher"/>).
    /// </summary>
    protected abstract AppendResult[] CommitBatch(IReadOnlyList<AppendRequest> batch, IReadOnlyList<Snapshot> snapshots);

    /// <summary>
    /// Whether a failed batch failed because of one append's own data (a constraint or data error),
    /// in which case its appends are retried one by one so that only the culprit fails.
    /// </summary>
    protected abstract bool IsAppendFault(Exception exception);

    protected abstract ValueTask DisposeBackendAsync();
}
