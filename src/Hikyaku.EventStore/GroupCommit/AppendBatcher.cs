using System.Threading.Channels;

namespace Hikyaku.EventStore.GroupCommit;

/// <summary>
/// Collects concurrent appends and hands them to one writer loop, which commits each batch in one
/// transaction and completes every caller with its own result. A stream appears at most once per
/// batch: a second append to it waits for the next batch so its expected version sees the first.
/// </summary>
internal sealed class AppendBatcher : IAsyncDisposable
{
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>();
    private readonly List<PendingAppend> _deferred = [];
    private readonly CommitBatch _commit;
    private readonly Action<int, Exception> _onBatchFailed;
    private readonly Func<Exception, bool> _isAppendFault;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _maxBatchDelay;
    private readonly Task _writer;
    private long _committedBatches;

    // Until a batch shows otherwise, assume concurrent writers and wait for them.
    private int _lastBatchSize = int.MaxValue;

    public delegate Task<AppendResult[]> CommitBatch(IReadOnlyList<AppendRequest> batch);

    /// <param name="isAppendFault">Whether a commit failure was caused by an append's own data rather than the infrastructure.</param>
    public AppendBatcher(EventStoreOptions options, CommitBatch commit, Func<Exception, bool> isAppendFault, Action<int, Exception> onBatchFailed)
    {
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

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>(Math.Min(_maxBatchSize, 4096));
        var streams = new HashSet<string>(StringComparer.Ordinal);
        while (await CollectAsync(batch, streams).ConfigureAwait(false))
        {
            await CommitAsync(batch).ConfigureAwait(false);
            batch.Clear();
            streams.Clear();
        }
    }

    private async Task<bool> CollectAsync(List<PendingAppend> batch, HashSet<string> streams)
    {
        TakeDeferred(batch, streams);
        if (batch.Count == 0)
        {
            if (!await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                return false;
            }
        }

        Drain(batch, streams);

        // Let concurrent grains join this transaction: the commit costs about the same for all of them.
        // A writer that was alone last time is not kept waiting for company that is not coming.
        if (batch.Count < _maxBatchSize && _maxBatchDelay > TimeSpan.Zero && _lastBatchSize > 1)
        {
            await Task.Delay(_maxBatchDelay).ConfigureAwait(false);
            Drain(batch, streams);
        }

        _lastBatchSize = batch.Count;
        return true;
    }

    private void TakeDeferred(List<PendingAppend> batch, HashSet<string> streams)
    {
        var kept = 0;
        for (var i = 0; i < _deferred.Count; i++)
        {
            var pending = _deferred[i];
            if (batch.Count < _maxBatchSize && streams.Add(pending.Request.StreamId))
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

    private void Drain(List<PendingAppend> batch, HashSet<string> streams)
    {
        while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var pending))
        {
            if (streams.Add(pending.Request.StreamId))
            {
                batch.Add(pending);
            }
            else
            {
                _deferred.Add(pending);
            }
        }
    }

    private async Task CommitAsync(List<PendingAppend> batch)
    {
        AppendResult[] results;
        try
        {
            results = await _commit(batch.ConvertAll(p => p.Request)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _onBatchFailed(batch.Count, ex);
            if (batch.Count > 1 && _isAppendFault(ex))
            {
                // One append's own data broke the transaction (say, an event id already used by
                // another stream): nothing was committed, so each append is tried alone and only the
                // culprit fails — otherwise every retry would sink its neighbours again.
                foreach (var pending in batch)
                {
                    await CommitAsync([pending]).ConfigureAwait(false);
                }

                return;
            }

            // Infrastructure failure: every caller sees it and retries (Orleans does); the loop lives on.
            ThreadPool.UnsafeQueueUserWorkItem(static completion => completion.Run(), new Completion([.. batch], null, ex), preferLocal: false);
            return;
        }

        Interlocked.Increment(ref _committedBatches);

        // Callers resume off the writer loop, which goes on to the next batch at once: one work item
        // completes the whole batch, and each caller's continuation goes where it awaited (a grain's
        // own scheduler), instead of one thread-pool hop per caller before that.
        ThreadPool.UnsafeQueueUserWorkItem(static completion => completion.Run(), new Completion([.. batch], results, null), preferLocal: false);
    }

    /// <summary>Completes every caller of one batch, with its own result or with the batch's failure.</summary>
    private sealed class Completion(PendingAppend[] appends, AppendResult[]? results, Exception? failure)
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
        }
    }

    private sealed class PendingAppend(AppendRequest request)
    {
        public AppendRequest Request { get; } = request;

        // Completed only from a Completion work item or the failure path, never inside the writer's commit.
        public TaskCompletionSource<AppendResult> Result { get; } = new();
    }
}
