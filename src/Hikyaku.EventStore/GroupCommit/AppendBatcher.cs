using System.Threading.Channels;

namespace Hikyaku.EventStore.GroupCommit;

/// <summary>
/// Collects concurrent appends and hands them to one writer loop, which commits each batch in one
/// transaction and completes every caller with its own result. A stream appears at most once per
/// batch: a second append to it waits for the next batch so its expected version sees the first.
/// Snapshots ride along in the next transaction (the newest per stream), so they cost neither a
/// commit of their own nor a second connection. A backend that takes concurrent transactions may have
/// several batches committing at once (the next one is collected while the database works on the
/// previous); a stream is then in at most one of them, so its appends still commit in order.
/// </summary>
internal sealed class AppendBatcher : IAsyncDisposable
{
    /// <summary>Fewest appends for a batch to commit while another is still committing (or a full batch, if smaller).</summary>
    private const int MinConcurrentBatch = 256;

    /// <summary>Most snapshots in one transaction: each may be tens of kilobytes.</summary>
    private const int MaxSnapshotsPerBatch = 256;

    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>();
    private readonly List<PendingAppend> _deferred = [];
    private readonly List<PendingSnapshot> _deferredSnapshots = [];
    private readonly CommitBatch _commit;
    private readonly Action<int, Exception> _onBatchFailed;
    private readonly Func<Exception, bool> _isAppendFault;
    private readonly int _maxBatchSize;
    private readonly int _maxInFlight;
    private readonly List<(Task Done, HashSet<string> Streams)> _inFlight = [];
    private readonly HashSet<string> _busyStreams = new(StringComparer.Ordinal);
    private readonly TimeSpan _maxBatchDelay;
    private readonly Task _writer;
    private long _committedBatches;

    // Until a batch shows otherwise, assume concurrent writers and wait for them.
    private int _lastBatchSize = int.MaxValue;

    public delegate Task<AppendResult[]> CommitBatch(IReadOnlyList<AppendRequest> batch, IReadOnlyList<Snapshot> snapshots);

    /// <param name="isAppendFault">Whether a commit failure was caused by an append's own data rather than the infrastructure.</param>
    /// <param name="concurrentCommits">How many batches <paramref name="commit"/> may be given at once.</param>
    public AppendBatcher(EventStoreOptions options, CommitBatch commit, Func<Exception, bool> isAppendFault, Action<int, Exception> onBatchFailed, int concurrentCommits = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrentCommits, 1);
        _maxInFlight = concurrentCommits;
        _commit = commit;
        _isAppendFault = isAppendFault;
        _onBatchFailed = onBatchFailed;
        _maxBatchSize = options.MaxBatchSize;
        _maxBatchDelay = options.MaxBatchDelay;
        _writer = Task.Run(WriteLoopAsync);
    }

    public long CommittedBatches => Interlocked.Read(ref _committedBatches);

    public Task<AppendResult> EnqueueAsync(AppendRequest request, CancellationToken cancellationToken)
    {
        var pending = new PendingAppend(request);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(AppendBatcher), "The event store is disposed.");
        }

        // Cancelling stops the wait, not the write: the append may still land, and a retry with the
        // same event ids then reports AlreadyAppended.
        return pending.Result.Task.WaitAsync(cancellationToken);
    }

    public Task EnqueueSnapshotAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var pending = new PendingSnapshot(snapshot);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(AppendBatcher), "The event store is disposed.");
        }

        return pending.Result.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        while (true)
        {
            ReapCompleted();
            while (_inFlight.Count >= _maxInFlight)
            {
                await ReapAsync().ConfigureAwait(false);
            }

            var batch = new List<PendingAppend>();
            var snapshots = new List<PendingSnapshot>();
            var streams = new HashSet<string>(StringComparer.Ordinal);
            if (!await CollectAsync(batch, snapshots, streams).ConfigureAwait(false))
            {
                break;
            }

            if (batch.Count == 0 && snapshots.Count == 0)
            {
                continue; // woken by a finished commit, which may have freed deferred streams
            }

            // A small batch waits for the committing one instead of joining it: with few writers the commit's flush
            // is the bottleneck, and two half-size transactions flush twice for the same appends.
            if (_inFlight.Count > 0 && batch.Count < Math.Min(MinConcurrentBatch, _maxBatchSize))
            {
                await ReapAsync().ConfigureAwait(false);
                TakeDeferred(batch, streams);
                Drain(batch, snapshots, streams);
            }

            _busyStreams.UnionWith(streams);
            _inFlight.Add((CommitAsync(batch, snapshots), streams));
        }

        while (_inFlight.Count > 0)
        {
            await ReapAsync().ConfigureAwait(false);
        }
    }

    // Waits for one of the committing batches and frees the streams of every finished one.
    private async Task ReapAsync()
    {
        await AnyCommitDone().ConfigureAwait(false);
        ReapCompleted();
    }

    private Task AnyCommitDone() => Task.WhenAny(_inFlight.Select(f => f.Done));

    // Only ever called from the writer loop: the lists it changes are the loop's own.
    private void ReapCompleted()
    {
        for (var i = _inFlight.Count - 1; i >= 0; i--)
        {
            if (_inFlight[i].Done.IsCompleted)
            {
                _busyStreams.ExceptWith(_inFlight[i].Streams);
                _inFlight.RemoveAt(i);
            }
        }
    }

    /// <returns>False once the store is disposed and nothing is left to write; an empty batch when a commit finished first.</returns>
    private async Task<bool> CollectAsync(List<PendingAppend> batch, List<PendingSnapshot> snapshots, HashSet<string> streams)
    {
        TakeDeferred(batch, streams);
        TakeDeferredSnapshots(snapshots);
        if (batch.Count == 0 && snapshots.Count == 0)
        {
            var more = _queue.Reader.WaitToReadAsync().AsTask();
            if (_inFlight.Count > 0 && await Task.WhenAny(more, AnyCommitDone()).ConfigureAwait(false) != more)
            {
                ReapCompleted();
                return true;
            }

            if (!await more.ConfigureAwait(false))
            {
                // Disposed: what waits behind a committing batch still goes in once that batch is done.
                if (_inFlight.Count == 0 && _deferred.Count == 0 && _deferredSnapshots.Count == 0)
                {
                    return false;
                }

                if (_inFlight.Count > 0)
                {
                    await ReapAsync().ConfigureAwait(false);
                }

                return true;
            }
        }

        Drain(batch, snapshots, streams);

        // Let concurrent grains join this transaction: the commit costs about the same for all of them.
        // A writer that was alone last time is not kept waiting for company that is not coming.
        if (batch.Count < _maxBatchSize && _maxBatchDelay > TimeSpan.Zero && _lastBatchSize > 1)
        {
            await Task.Delay(_maxBatchDelay).ConfigureAwait(false);
            Drain(batch, snapshots, streams);
        }

        _lastBatchSize = batch.Count;
        return true;
    }

    private void TakeDeferredSnapshots(List<PendingSnapshot> snapshots)
    {
        var taken = Math.Min(MaxSnapshotsPerBatch, _deferredSnapshots.Count);
        snapshots.AddRange(_deferredSnapshots.GetRange(0, taken));
        _deferredSnapshots.RemoveRange(0, taken);
    }

    private void TakeDeferred(List<PendingAppend> batch, HashSet<string> streams)
    {
        var kept = 0;
        for (var i = 0; i < _deferred.Count; i++)
        {
            var pending = _deferred[i];
            if (batch.Count < _maxBatchSize && !_busyStreams.Contains(pending.Request.StreamId) && streams.Add(pending.Request.StreamId))
            {
                batch.Add(pending);
            }
            else
            {
                _deferred[kept++] = pending;
            }
        }

        _deferred.RemoveRange(kept, _deferred.Count - kept);
    }

    private void Drain(List<PendingAppend> batch, List<PendingSnapshot> snapshots, HashSet<string> streams)
    {
        while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var pending))
        {
            if (pending is PendingSnapshot snapshot)
            {
                (snapshots.Count < MaxSnapshotsPerBatch ? snapshots : _deferredSnapshots).Add(snapshot);
            }
            else if (pending is PendingAppend append && !_busyStreams.Contains(append.Request.StreamId) && streams.Add(append.Request.StreamId))
            {
                batch.Add(append);
            }
            else
            {
                _deferred.Add((PendingAppend)pending);
            }
        }
    }

    private async Task CommitAsync(List<PendingAppend> batch, List<PendingSnapshot> snapshots)
    {
        AppendResult[] results;
        try
        {
            results = await _commit(batch.ConvertAll(p => p.Request), NewestPerStream(snapshots)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _onBatchFailed(batch.Count, ex);
            if (_isAppendFault(ex) && (batch.Count > 1 || (batch.Count == 1 && snapshots.Count > 0)))
            {
                // One append's own data broke the transaction (say, an event id already used by
                // another stream): nothing was committed, so each append is tried alone and only the
                // culprit fails — otherwise every retry would sink its neighbours again. The snapshots
                // go in a transaction of their own.
                foreach (var pending in batch)
                {
                    await CommitAsync([pending], []).ConfigureAwait(false);
                }

                if (snapshots.Count > 0)
                {
                    await CommitAsync([], snapshots).ConfigureAwait(false);
                }

                return;
            }

            // Infrastructure failure: every caller sees it and retries (Orleans does); the loop lives on.
            ThreadPool.UnsafeQueueUserWorkItem(static completion => completion.Run(), new Completion([.. batch], [.. snapshots], null, ex), preferLocal: false);
            return;
        }

        Interlocked.Increment(ref _committedBatches);

        // Callers resume off the writer loop, which goes on to the next batch at once: one work item
        // completes the whole batch, and each caller's continuation goes where it awaited (a grain's
        // own scheduler), instead of one thread-pool hop per caller before that.
        ThreadPool.UnsafeQueueUserWorkItem(static completion => completion.Run(), new Completion([.. batch], [.. snapshots], results, null), preferLocal: false);
    }

    // A snapshot replaced by a newer one of its stream in the same batch is as good as written.
    private static List<Snapshot> NewestPerStream(List<PendingSnapshot> snapshots)
    {
        var newest = new Dictionary<string, Snapshot>(snapshots.Count, StringComparer.Ordinal);
        foreach (var pending in snapshots)
        {
            var s = pending.Snapshot;
            if (!newest.TryGetValue(s.StreamId, out var other) || other.Version < s.Version)
            {
                newest[s.StreamId] = s;
            }
        }

        return [.. newest.Values];
    }

    /// <summary>Completes every caller of one batch, with its own result or with the batch's failure.</summary>
    private sealed class Completion(PendingAppend[] appends, PendingSnapshot[] snapshots, AppendResult[]? results, Exception? failure)
    {
        public void Run()
        {
            for (var i = 0; i < appends.Length; i++)
            {
                if (results is not null)
                {
                    appends[i].Result.TrySetResult(results[i]);
                }
                else
                {
                    appends[i].Result.TrySetException(failure!);
                }
            }

            foreach (var snapshot in snapshots)
            {
                if (failure is null)
                {
                    snapshot.Result.TrySetResult();
                }
                else
                {
                    snapshot.Result.TrySetException(failure);
                }
            }
        }
    }

    private abstract class PendingWrite;

    private sealed class PendingAppend(AppendRequest request) : PendingWrite
    {
        public AppendRequest Request { get; } = request;

        // Completed only from a Completion work item or the failure path, never inside the writer's commit.
        public TaskCompletionSource<AppendResult> Result { get; } = new();
    }

    private sealed class PendingSnapshot(Snapshot snapshot) : PendingWrite
    {
        public Snapshot Snapshot { get; } = snapshot;

        public TaskCompletionSource Result { get; } = new();
    }
}
