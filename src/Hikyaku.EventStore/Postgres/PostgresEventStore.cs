using Hikyaku.EventStore.GroupCommit;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hikyaku.EventStore.Postgres;

/// <summary>
/// The production event store: PostgreSQL shared by all silos. Appends from this silo are
/// group-committed; appends from other silos to the same stream are settled by the stream row's
/// version (exactly one wins). Npgsql exceptions reach the caller unchanged — Orleans retries them,
/// and event ids make that retry safe.
/// </summary>
public sealed partial class PostgresEventStore : GroupCommitEventStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _writerSource;
    private readonly string _target;

    /// <summary>
    /// Batches committing at once: the next batch is written while the server still works on the previous one, so
    /// PostgreSQL uses two cores instead of one. Their streams never overlap; their rows are locked in one order.
    /// </summary>
    private const int ConcurrentCommits = 2;

    /// <summary>
    /// Connections for reads at most (unless the connection string asks for fewer). Reads are short; a few warm server
    /// processes answer them faster than a hundred cold ones (measured on step mail: with the default 100, every backend
    /// was busy about 0.5% of the time and the server's CPU went mostly to waking and switching between them).
    /// </summary>
    private const int ReadConnections = 10;

    public PostgresEventStore(string connectionString, EventStoreOptions options, ILogger<PostgresEventStore>? logger = null)
        : base("postgres", options, logger, ConcurrentCommits)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);

        // Host and database only: the connection string may carry a password.
        _target = $"{builder.Host}:{builder.Port}/{builder.Database}";
        // Reads (activations, projection pages) are a handful of statements run again and again: prepared on each
        // connection once used twice, and a connection going back to the pool is not reset (nothing leaves session
        // state on it: the schema's lock is transaction-scoped). Measured on step mail: parsing, planning and the reset
        // statements ahead of every read were most of the server's own work.
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(builder.ConnectionString)
        {
            MaxPoolSize = Math.Min(builder.MaxPoolSize, ReadConnections),
            MaxAutoPrepare = 32,
            AutoPrepareMinUsages = 2,
            NoResetOnClose = true,
        });

        // The group-commit writer keeps its own connections (one per concurrent commit) to the same server
        // processes. Taken from the shared pool, each batch would land on whichever of up to 100 backends
        // was idle longest, and every backend pays again for its cold caches and page tables (measured: half
        // the server's CPU went to page faults and cold index pages). Its few statements are prepared on them.
        _writerSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(builder.ConnectionString)
        {
            MaxPoolSize = ConcurrentCommits,
            MinPoolSize = 0,
            MaxAutoPrepare = 16,
            AutoPrepareMinUsages = 2,

            // A batch's COPY is a few hundred kilobytes: sent in 8 KB pieces it cost a system call each.
            WriteBufferSize = 1024 * 1024,

            // Only the writer uses these connections and leaves no session state behind, so returning one to the pool
            // need not reset it (seven statements, one of them planned, ahead of every batch).
            NoResetOnClose = true,
        });
        Subscribers = new PostgresSubscriberIndex(_dataSource);
    }

    public override ISubscriberIndex Subscribers { get; }

    public override async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await PostgresSchema.ApplyAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        Logger.SchemaReady("PostgreSQL", _target);
    }

    public override async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, int afterVersion = 0, CancellationToken cancellationToken = default)
    {
        // The stream's number is looked up once, as a value of its own: the events are then one range of the log's
        // primary key, whatever the planner's statistics say about the streams.
        await using var cmd = _dataSource.CreateCommand("""
            SELECT version, event_id, type, data, at FROM hk_events
            WHERE stream_no = (SELECT stream_no FROM hk_streams WHERE stream_id = $1) AND version > $2 ORDER BY version
            """);
        cmd.Parameters.Add(new() { Value = streamId });
        cmd.Parameters.Add(new() { Value = afterVersion });
        var events = new List<StoredEvent>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new StoredEvent(streamId, r.GetInt32(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4)));
        }

        return events;
    }

    /// <summary>The snapshot of that type and the events after it in one statement: an activation is one round trip.</summary>
    public override async Task<StreamState> ReadStateAsync(string streamId, string? snapshotType, CancellationToken cancellationToken = default)
    {
        // The snapshot's row has no event id; the events follow it in version order (sorted again below regardless).
        await using var cmd = _dataSource.CreateCommand("""
            WITH snap AS (SELECT version, data FROM hk_snapshots WHERE stream_id = $1 AND type = $2)
            SELECT version, NULL::uuid AS event_id, NULL::text AS type, data, NULL::timestamptz AS at FROM snap
            UNION ALL
            (SELECT version, event_id, type, data, at FROM hk_events
             WHERE stream_no = (SELECT stream_no FROM hk_streams WHERE stream_id = $1) AND version > COALESCE((SELECT version FROM snap), 0)
             ORDER BY version)
            """);
        cmd.Parameters.Add(new() { Value = streamId });
        cmd.Parameters.Add(new() { Value = (object?)snapshotType ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        Snapshot? snapshot = null;
        var events = new List<StoredEvent>();
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (r.IsDBNull(1))
                {
                    snapshot = new Snapshot(streamId, r.GetInt32(0), snapshotType!, r.GetString(3));
                }
                else
                {
                    events.Add(new StoredEvent(streamId, r.GetInt32(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4)));
                }
            }
        }

        events.Sort((a, b) => a.Version.CompareTo(b.Version));
        return new StreamState(snapshot, events);
    }

    public override async Task<int> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        await using var cmd = _dataSource.CreateCommand("SELECT version FROM hk_streams WHERE stream_id = $1");
        cmd.Parameters.Add(new() { Value = streamId });
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int version ? version : 0;
    }

    public override async Task<Snapshot?> ReadSnapshotAsync(string streamId, CancellationToken cancellationToken = default)
    {
        await using var cmd = _dataSource.CreateCommand("SELECT version, type, data FROM hk_snapshots WHERE stream_id = $1");
        cmd.Parameters.Add(new() { Value = streamId });
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new Snapshot(streamId, r.GetInt32(0), r.GetString(1), r.GetString(2))
            : null;
    }

    protected override AppendResult[] CommitBatch(IReadOnlyList<AppendRequest> batch, IReadOnlyList<Snapshot> snapshots)
    {
        try
        {
            return PostgresBatchWriter.Commit(_writerSource, batch, snapshots);
        }
        catch (NpgsqlException ex) when (ex is not PostgresException)
        {
            // The connection broke (server restarted, network): idle pooled connections are as dead
            // as this one, so drop them and let the next batch connect afresh.
            _dataSource.Clear();
            _writerSource.Clear();
            throw;
        }
    }

    // Class 22 (data exception, e.g. a time out of range) and class 23 (integrity constraint, e.g. an
    // event id already used by another stream) come from an append's data, not from the database's health.
    protected override bool IsAppendFault(Exception exception) =>
        exception is PostgresException { SqlState: [ '2', '2' or '3', ..] };

    protected override async ValueTask DisposeBackendAsync()
    {
        await _writerSource.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
