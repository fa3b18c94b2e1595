using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Hikyaku.Smtp.Sending;

/// <summary>
/// Open sessions per (sending IP, MX endpoint), reused across batches, at most
/// <see cref="DeliveryOptions.MaxConnectionsPerTarget"/> at once per key. A lease holds one slot of
/// its key from acquisition until it is returned, whether or not a session could be opened.
/// </summary>
internal sealed class ConnectionPool(DeliveryOptions options) : IAsyncDisposable
{
    // A session idle this long is asked NOOP before it carries a message again.
    static readonly TimeSpan CheckAfterIdle = TimeSpan.FromSeconds(2);

    readonly ConcurrentDictionary<(IPAddress Source, IPEndPoint Target, string? RelayUser), Slot> _slots = new();
    long _opened;

    /// <summary>How many sessions were opened since start.</summary>
    public long ConnectionsOpened => Interlocked.Read(ref _opened);

    /// <summary>Waits for a free slot of the key of <paramref name="batch"/>; release it with <see cref="ReturnAsync"/>.</summary>
    public async Task<Lease> AcquireAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        var slot = _slots.GetOrAdd((batch.SourceIp, batch.Target, batch.Relay?.Username), _ => new Slot(options.MaxConnectionsPerTarget));
        await slot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Lease(slot, batch);
    }

    /// <summary>
    /// A usable session for <paramref name="lease"/>: its current one, an idle one of its key, or a
    /// new one; or the failure to open one.
    /// </summary>
    public async Task<AttemptResult?> EnsureSessionAsync(Lease lease, CancellationToken cancellationToken)
    {
        if (lease.Connection is { IsUsable: true } current && current.MessagesSent < options.MaxMessagesPerConnection) return null;
        if (lease.Connection is not null) await lease.Connection.DisposeAsync().ConfigureAwait(false);
        lease.Connection = null;

        while (lease.Slot.Idle.TryPop(out var idle))
        {
            if (idle.IsUsable && !IdleTooLong(idle) && (!IdleFor(idle, CheckAfterIdle) || await idle.StillOpenAsync(cancellationToken).ConfigureAwait(false)))
            {
                lease.Connection = idle;
                return null;
            }
            await idle.DisposeAsync().ConfigureAwait(false);
        }

        var batch = lease.Batch;
        var (connection, failure) = await SmtpConnection.OpenAsync(batch.SourceIp, batch.Target, batch.MxHost, options, cancellationToken, batch.Relay).ConfigureAwait(false);
        if (connection is not null) Interlocked.Increment(ref _opened);
        lease.Connection = connection;
        return failure;
    }

    /// <summary>Puts a healthy session back for the next batch, closes any other, and frees the slot.</summary>
    public async Task ReturnAsync(Lease lease)
    {
        try
        {
            if (lease.Connection is { IsUsable: true } connection && connection.MessagesSent < options.MaxMessagesPerConnection)
                lease.Slot.Idle.Push(connection);
            else if (lease.Connection is not null)
                await lease.Connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            lease.Connection = null;
            lease.Slot.Gate.Release();
        }
    }

    /// <summary>Closes sessions idle longer than <see cref="DeliveryOptions.IdleConnectionTimeout"/>.</summary>
    public async Task SweepAsync()
    {
        foreach (var slot in _slots.Values)
        {
            var keep = new List<SmtpConnection>();
            while (slot.Idle.TryPop(out var idle))
            {
                if (idle.IsUsable && !IdleTooLong(idle)) keep.Add(idle);
                else await idle.DisposeAsync().ConfigureAwait(false);
            }
            // Oldest first, so the most recently used session is reused first.
            for (var i = keep.Count - 1; i >= 0; i--) slot.Idle.Push(keep[i]);
        }
    }

    /// <summary>Closes every idle session (with QUIT).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var slot in _slots.Values)
            while (slot.Idle.TryPop(out var idle)) await idle.DisposeAsync().ConfigureAwait(false);
    }

    bool IdleTooLong(SmtpConnection connection) => IdleFor(connection, options.IdleConnectionTimeout);

    static bool IdleFor(SmtpConnection connection, TimeSpan span) => Stopwatch.GetElapsedTime(connection.LastUsed) > span;

    /// <summary>One key's connection limit and its idle sessions.</summary>
    internal sealed class Slot(int limit)
    {
        public SemaphoreSlim Gate { get; } = new(limit, limit);

        public ConcurrentStack<SmtpConnection> Idle { get; } = new();
    }

    /// <summary>A worker's hold on one slot and the session it is using.</summary>
    internal sealed class Lease(Slot slot, DeliveryBatch batch)
    {
        public Slot Slot { get; } = slot;

        public DeliveryBatch Batch { get; } = batch;

        public SmtpConnection? Connection { get; set; }
    }
}
