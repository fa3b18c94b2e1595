using Hikyaku.Smtp.Sending;

namespace Hikyaku.Smtp;

/// <summary>
/// Sends batches over MailKit with pooled sessions per (sending IP, MX endpoint): up to the
/// batch's <see cref="DeliveryBatch.MaxConnections"/> sessions carry one batch in parallel, each
/// several messages in a row, and sessions are kept for the next batch while healthy. One instance
/// serves the whole process; dispose it to close the idle sessions with QUIT.
/// </summary>
public sealed class SmtpSender : ISmtpSender, IAsyncDisposable
{
    readonly ConnectionPool _pool;
    readonly int _maxPerTarget;
    readonly TimeProvider _time;
    readonly ITimer _sweep;

    /// <summary>Creates a sender; <paramref name="options"/> must be valid (see <see cref="DeliveryOptions.Validate"/>).</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public SmtpSender(DeliveryOptions options, TimeProvider? time = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join(" ", errors), nameof(options));
        _pool = new ConnectionPool(options);
        _maxPerTarget = options.MaxConnectionsPerTarget;
        _time = time ?? TimeProvider.System;
        var period = options.IdleConnectionTimeout / 2;
        _sweep = _time.CreateTimer(_ => _ = _pool.SweepAsync(), null, period, period);
    }

    /// <summary>How many SMTP sessions this sender has opened (a session carries many messages).</summary>
    public long ConnectionsOpened => _pool.ConnectionsOpened;

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeliveryOutcome>> SendAsync(DeliveryBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch.MaxConnections, 1);
        if (batch.Messages.Count == 0) return [];
        var run = new BatchRun(batch, _time);
        // More workers than the pool lets connect at once would only wait for the others to finish.
        var workers = Math.Min(Math.Min(batch.MaxConnections, _maxPerTarget), batch.Messages.Count);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => WorkAsync(run, cancellationToken))).ConfigureAwait(false);
        return run.Finish();
    }

    async Task WorkAsync(BatchRun run, CancellationToken cancellationToken)
    {
        var lease = await _pool.AcquireAsync(run.Batch, cancellationToken).ConfigureAwait(false);
        try
        {
            while (run.TryTake(out var index))
            {
                if (run.Stopped is { } stopped)
                {
                    run.Record(index, stopped);
                    continue;
                }
                if (await _pool.EnsureSessionAsync(lease, cancellationToken).ConfigureAwait(false) is { } failure)
                {
                    // Nothing to send on: this worker stops; others with sessions go on.
                    run.Record(index, failure);
                    run.Fail(failure);
                    return;
                }
                var session = lease.Connection!;
                var fresh = session.MessagesSent == 0;
                var result = await session.SendAsync(run.Batch.Messages[index], cancellationToken).ConfigureAwait(false);
                run.Record(index, result);
                if (result.Code == 421) run.Stop(result);
                // A session lost on its first message would be lost again: stop rather than loop.
                // One lost after carrying messages is reopened for the next (providers end long sessions).
                else if (result.Kind == DeliveryOutcomeKind.NotAttempted && fresh)
                {
                    run.Fail(result);
                    return;
                }
            }
        }
        finally
        {
            await _pool.ReturnAsync(lease).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the idle sweep and closes every idle session.</summary>
    public async ValueTask DisposeAsync()
    {
        await _sweep.DisposeAsync().ConfigureAwait(false);
        await _pool.DisposeAsync().ConfigureAwait(false);
    }
}
