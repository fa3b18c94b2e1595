namespace Hikyaku.EventStore;

/// <summary>
/// Hikyaku's append-only event store: one stream per grain, optimistic concurrency on the stream
/// version, group-committed appends, snapshots and the projections that must be queried across streams.
/// Two backends implement it (PostgreSQL, SQLite) and pass one shared contract suite.
/// </summary>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>
    /// Appends <paramref name="events"/> to <paramref name="streamId"/> if the stream is at
    /// <paramref name="expectedVersion"/> (0 = the stream does not exist yet). The append is
    /// group-committed with other concurrent appends but succeeds or fails whole. A retried append whose
    /// event ids already landed at those versions reports <see cref="AppendStatus.AlreadyAppended"/>.
    /// Projection writes are applied in the same transaction, only if the append succeeds.
    /// </summary>
    Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default);

    /// <summary>Events of a stream with version &gt; <paramref name="afterVersion"/>, oldest first.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, int afterVersion = 0, CancellationToken cancellationToken = default);

    /// <summary>The current version of a stream (0 when it does not exist).</summary>
    Task<int> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>The latest snapshot of a stream, or null.</summary>
    Task<Snapshot?> ReadSnapshotAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>
    /// What a grain needs to rebuild its state: the stream's snapshot if it is of <paramref name="snapshotType"/> (a
    /// snapshot of another shape, or a null type, counts as none) and the events after it (after version 0 without one).
    /// A backend across a network answers it in one round trip; this default asks twice.
    /// </summary>
    Task<StreamState> ReadStateAsync(string streamId, string? snapshotType, CancellationToken cancellationToken = default) =>
        StreamState.ReadInTwoAsync(this, streamId, snapshotType, cancellationToken);

    /// <summary>Stores a snapshot (replacing an older one; never replaces a newer one).</summary>
    Task WriteSnapshotAsync(Snapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>Cross-stream read models (subscribers of a magazine by status and domain, ...).</summary>
    ISubscriberIndex Subscribers { get; }

    /// <summary>Creates tables and indexes if missing (idempotent).</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);
}

/// <summary>One event to append. <see cref="EventId"/> makes a retried append recognisable.</summary>
public sealed record EventData(Guid EventId, string Type, string Json, DateTimeOffset At);

/// <summary>An event as stored.</summary>
public sealed record StoredEvent(string StreamId, int Version, Guid EventId, string Type, string Json, DateTimeOffset At);

/// <summary>Serialized state of a stream at <see cref="Version"/>.</summary>
public sealed record Snapshot(string StreamId, int Version, string Type, string Json);

/// <summary>A stream as read to rebuild state: its snapshot (or none) and the events after it, oldest first.</summary>
public sealed record StreamState(Snapshot? Snapshot, IReadOnlyList<StoredEvent> Events)
{
    /// <summary><see cref="IEventStore.ReadStateAsync"/> as two reads: the snapshot, then the events after it.</summary>
    public static async Task<StreamState> ReadInTwoAsync(IEventStore store, string streamId, string? snapshotType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var snapshot = snapshotType is null ? null : await store.ReadSnapshotAsync(streamId, cancellationToken).ConfigureAwait(false);
        if (snapshot is not null && snapshot.Type != snapshotType)
        {
            snapshot = null;
        }

        return new StreamState(snapshot, await store.ReadStreamAsync(streamId, snapshot?.Version ?? 0, cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>
/// Events to append to one stream at <see cref="ExpectedVersion"/> (0 = new stream), with the
/// projection rows to write in the same transaction if — and only if — the append succeeds.
/// Event ids must be distinct and non-empty; a retry must reuse them.
/// </summary>
public sealed record AppendRequest(
    string StreamId,
    int ExpectedVersion,
    IReadOnlyList<EventData> Events,
    IReadOnlyList<SubscriberRow>? SubscriberRows = null);

/// <summary>How an append ended. Infrastructure failures are exceptions, not statuses.</summary>
public enum AppendStatus
{
    /// <summary>The events were written at ExpectedVersion + 1 ... + n.</summary>
    Appended,

    /// <summary>A retry: these event ids were already written at those versions; nothing was written again.</summary>
    AlreadyAppended,

    /// <summary>The stream was not at the expected version; nothing was written.</summary>
    Conflict,
}

/// <param name="CurrentVersion">The stream's version after the call (on conflict: the version found).</param>
public sealed record AppendResult(AppendStatus Status, int CurrentVersion)
{
    public bool Succeeded => Status is AppendStatus.Appended or AppendStatus.AlreadyAppended;
}
