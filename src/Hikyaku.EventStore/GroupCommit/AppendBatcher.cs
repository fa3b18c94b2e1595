using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Hikyaku.EventStore.GroupCommit;

/// <summary>
/// Collects concurrent appends and hands them to dedicated writer threads, each of which commits one batch at a time
/// in one transaction and completes every caller with its own result. A stream appears at most once per batch: a
/// second append to it waits for the next batch so its expected version sees the first. Snapshots ride along in the
/// next transaction (the newest per stream), so they cost neither a commit of their own nor a second connection. A
/// backend that takes concurrent transactions gets several writers (the next batch is collected while the database
/// works on the previous); a stream is then in at most one committing batch, so its appends still commit in order.
/// </summary>
/// <remarks>
/// The writers are threads of their own that wait on the database synchronously, so a thread pool full of grain turns
/// (or starved by blocking code) does not hold up the commits every grain waits for. Measured with 1024 busy readers on
/// the thread pool, collecting a batch took 7.2 ms, of which the 1 ms batch delay took 4.4 ms, waiting behind grain
/// turns to resume; on a writer thread it takes 2.9 ms, of which 1.75 ms is the delay.
/// </remarks>
internal sealed class AppendBatcher : IAsyncDisposable
{
    /// <summary>Fewest appends for a batch to commit while another is still committing (or a full batch, if smaller).</summary>
    private const int MinConcurrentBatch = 256;

    /// <summary>Most snapshots in one transaction: each may be tens of kilobytes.</summary>
    private const int MaxSnapshotsPerBatch = 256;

    // Everything below up to _exited is guarded by _gate.
    private readonly object _gate = new();
    private readonly List<PendingAppend> _waiting = [];
    private readonly List<PendingSnapshot> _snapshots = [];

    // Streams in a batch that is being collected or committed.
    private readonly HashSet<string> _busyStreams = new(StringComparer.Ordinal);
    private int _committing;
    private int _idleWriters;
    private bool _collecting;
    private bool _disposed;

    // Until a batch shows otherwise, assume concurrent writers and wait for them.
    private int _lastBatchSize = int.MaxValue;

    private readonly Task[] _exited;
    private readonly CommitBatch _commit;
    private readonly Action<int, Exception> _onBatchFailed;
    private readonly Func<Exception, bool> _isAppendFault;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _maxBatchDelay;
    private readonly GroupCommitMetrics _metrics;
    private long _committedBatches;

    // Batches whose callers are not answered yet (see Answer), and what disposal waits on once the writers are gone.
    private int _unanswered;
    private TaskCompletionSource? _drained;

    /// <summary>Writes a batch of appends to distinct streams, and snapshots, in one transaction; blocks until it is committed.</summary>
    public delegate AppendResult[] CommitBatch(IReadOnlyList<AppendRequest> batch, IReadOnlyList<Snapshot> snapshots);

    /// <param name="backend">The backend's name, as the metrics tag it.</param>
    /// <param name="isAppendFault">Whether a commit failure was caused by an append's own data rather than the infrastructure.</param>
    /// <param name="concurrentCommits">How many batches <paramref name="commit"/> may be given at once (one writer thread each).</param>
    public AppendBatcher(string backend, EventStoreOptions options, CommitBatch commit, Func<Exception, bool> isAppendFault, Action<int, Exception> onBatchFailed, int concurrentCommits = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrentCommits, 1);
        _metrics = new GroupCommitMetrics(backend, QueuedAppends, () => Volatile.Read(ref _committing));
        _commit = commit;
        _isAppendFault = isAppendFault;
        _onBatchFailed = onBatchFailed;
        _maxBatchSize = options.MaxBatchSize;
        _maxBatchDelay = options.MaxBatchDelay;
        _exited = new Task[concurrentCommits];
        for (var i = 0; i < concurrentCommits; i++)
        {
            var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _exited[i] = exited.Task;
            new Thread(() => RunWriter(exited)) { IsBackground = true, Name = $"hikyaku-commit-{i + 1}" }.Start();
        }
    }

    public long CommittedBatches => Interlocked.Read(ref _committedBatches);

    /// <summary>The meter of this batcher's instruments (see <see cref="GroupCommitMetrics"/>).</summary>
    public Meter Meter => _metrics.Meter;

    public Task<AppendResult> EnqueueAsync(AppendRequest request, CancellationToken cancellationToken)
    {
        var pending = new PendingAppend(request, _metrics.AppendDurationEnabled ? Stopwatch.GetTimestamp() : 0);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _waiting.Add(pending);
            WakeIdleWriter();
        }

        // Cancelling stops the wait, not the write: the append may still land, and a retry with the
        // same event ids then reports AlreadyAppended.
        return pending.Result.Task.WaitAsync(cancellationToken);
    }

    public Task EnqueueSnapshotAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var pending = new PendingSnapshot(snapshot);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _snapshots.Add(pending);
            WakeIdleWriter();
        }

        return pending.Result.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Writes what is already queued, then stops the writers.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
            Monitor.PulseAll(_gate);
        }

        await Task.WhenAll(_exited).ConfigureAwait(false);
        _metrics.Dispose();

        // Every caller is answered before disposal returns. No batch is answered any more from here on, so the count
        // only goes down; whichever of this thread and the last answer sees the other's write completes the wait.
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        if (Volatile.Read(ref _unanswered) > 0)
        {
            await drained.Task.ConfigureAwait(false);
        }
    }

    // Callers resume off the writer, which goes on to its next batch at once: one work item answers the whole batch,
    // and each caller's continuation goes where it awaited (a grain's own scheduler).
    private void Answer(Completion completion)
    {
        Interlocked.Increment(ref _unanswered);
        ThreadPool.UnsafeQueueUserWorkItem(
            static state =>
            {
                state.Completion.Run(state.Batcher._metrics);
                if (Interlocked.Decrement(ref state.Batcher._unanswered) == 0)
                {
                    Volatile.Read(ref state.Batcher._drained)?.TrySetResult();
                }
            },
            (Batcher: this, Completion: completion),
            preferLocal: false);
    }

    // Read when the metrics are collected (every few seconds at most), so taking the gate costs nothing worth keeping a copy for.
    private int QueuedAppends()
    {
        lock (_gate)
        {
            return _waiting.Count;
        }
    }

    private void WakeIdleWriter()
    {
        if (_idleWriters > 0 && !_collecting)
        {
            Monitor.PulseAll(_gate);
        }
    }

    private void RunWriter(TaskCompletionSource exited)
    {
        try
        {
            while (NextBatch() is { } next)
            {
                try
                {
                    CommitAndComplete(next.Appends, next.Snapshots);
                }
                catch (Exception e)
                {
                    // Only a bug gets here (commit failures are the callers' answers): the callers still get an answer.
                    Answer(new Completion(next.Appends, next.Snapshots, null, e));
                }
                finally
                {
                    lock (_gate)
                    {
                        foreach (var pending in next.Appends)
                        {
                            _busyStreams.Remove(pending.Request.StreamId);
                        }

                        _committing--;
                        Monitor.PulseAll(_gate); // deferred appends of these streams, and a small batch waiting for this one
                    }
                }
            }

            exited.TrySetResult();
        }
        catch (Exception e)
        {
            // Fail disposal rather than the process.
            exited.TrySetException(e);
        }
    }

    /// <returns>The next batch to commit, or null once the store is disposed and nothing is left to write.</returns>
    private (List<PendingAppend> Appends, List<PendingSnapshot> Snapshots)? NextBatch()
    {
        var batch = new List<PendingAppend>();
        var snapshots = new List<PendingSnapshot>();
        bool waitForCompany;
        lock (_gate)
        {
            // One writer collects at a time; the others commit, or wait for their turn to collect.
            while (_collecting || !Take(batch, snapshots))
            {
                if (_disposed && _waiting.Count == 0 && _snapshots.Count == 0)
                {
                    Monitor.PulseAll(_gate); // the other writers may exit too
                    return null;
                }

                _idleWriters++;
                Monitor.Wait(_gate);
                _idleWriters--;
            }

            // Let concurrent grains join this transaction: the commit costs about the same for all of them.
            // A writer that was alone last time is not kept waiting for company that is not coming.
            _collecting = true;
            waitForCompany = batch.Count < _maxBatchSize && _maxBatchDelay > TimeSpan.Zero && _lastBatchSize > 1 && !_disposed;
        }

        if (waitForCompany)
        {
            Thread.Sleep(_maxBatchDelay);
        }

        lock (_gate)
        {
            Take(batch, snapshots);

            // A small batch waits for the committing one instead of joining it: with few writers the commit's flush
            // is the bottleneck, and two half-size transactions flush twice for the same appends.
            while (_committing > 0 && batch.Count < Math.Min(MinConcurrentBatch, _maxBatchSize) && !_disposed)
            {
                Monitor.Wait(_gate);
                Take(batch, snapshots);
            }

            _collecting = false;
            _committing++;
            _lastBatchSize = batch.Count;
            Monitor.PulseAll(_gate); // an idle writer may collect the next batch now
        }

        return (batch, snapshots);
    }

    /// <summary>
    /// Moves waiting appends whose streams are in no other batch (and not yet in this one) into <paramref name="batch"/>,
    /// keeping the others in arrival order, and waiting snapshots into <paramref name="snapshots"/>. Caller holds the gate.
    /// </summary>
    /// <returns>Whether the batch has anything to write.</returns>
    private bool Take(List<PendingAppend> batch, List<PendingSnapshot> snapshots)
    {
        var kept = 0;
        for (var i = 0; i < _waiting.Count; i++)
        {
            var pending = _waiting[i];
            if (batch.Count < _maxBatchSize && _busyStreams.Add(pending.Request.StreamId))
            {
                batch.Add(pending);
            }
            else
            {
                _waiting[kept++] = pending;
            }
        }

        _waiting.RemoveRange(kept, _waiting.Count - kept);
        var taken = Math.Min(MaxSnapshotsPerBatch - snapshots.Count, _snapshots.Count);
        if (taken > 0)
        {
            snapshots.AddRange(_snapshots.GetRange(0, taken));
            _snapshots.RemoveRange(0, taken);
        }

        return batch.Count > 0 || snapshots.Count > 0;
    }

    private void CommitAndComplete(List<PendingAppend> batch, List<PendingSnapshot> snapshots)
    {
        AppendResult[] results;
        var startedAt = Stopwatch.GetTimestamp();
        try
        {
            results = _commit(batch.ConvertAll(p => p.Request), NewestPerStream(snapshots));
        }
        catch (Exception ex)
        {
            _metrics.CommitFailed();
            _onBatchFailed(batch.Count, ex);
            if (_isAppendFault(ex) && (batch.Count > 1 || (batch.Count == 1 && snapshots.Count > 0)))
            {
                // One append's own data broke the transaction (say, an event id already used by
                // another stream): nothing was committed, so each append is tried alone and only the
                // culprit fails — otherwise every retry would sink its neighbours again. The snapshots
                // go in a transaction of their own.
                foreach (var pending in batch)
                {
                    CommitAndComplete([pending], []);
                }

                if (snapshots.Count > 0)
                {
                    CommitAndComplete([], snapshots);
                }

                return;
            }

            // Infrastructure failure: every caller sees it and retries (Orleans does); the writer lives on.
            Answer(new Completion(batch, snapshots, null, ex));
            return;
        }

        Interlocked.Increment(ref _committedBatches);
        _metrics.Committed(startedAt, batch.Count);
        Answer(new Completion(batch, snapshots, results, null));
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
    private sealed class Completion(List<PendingAppend> appends, List<PendingSnapshot> snapshots, AppendResult[]? results, Exception? failure)
    {
        public void Run(GroupCommitMetrics metrics)
        {
            var answeredAt = Stopwatch.GetTimestamp();
            for (var i = 0; i < appends.Count; i++)
            {
                // Recorded first: the caller may look at the figures as soon as it is answered.
                if (appends[i].QueuedAt != 0)
                {
                    metrics.Answered(appends[i].QueuedAt, answeredAt);
                }

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

    /// <param name="queuedAt">When it was queued (a <see cref="Stopwatch"/> timestamp), or 0 if nobody measures it.</param>
    private sealed class PendingAppend(AppendRequest request, long queuedAt)
    {
        public AppendRequest Request { get; } = request;

        public long QueuedAt { get; } = queuedAt;

        // Completed only from a Completion work item, never on a writer thread.
        public TaskCompletionSource<AppendResult> Result { get; } = new();
    }

    private sealed class PendingSnapshot(Snapshot snapshot)
    {
        public Snapshot Snapshot { get; } = snapshot;

        public TaskCompletionSource Result { get; } = new();
    }
}
