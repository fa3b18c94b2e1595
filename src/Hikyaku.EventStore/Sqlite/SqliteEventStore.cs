using Hikyaku.EventStore.GroupCommit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Hikyaku.EventStore.Sqlite;

/// <summary>
/// The embedded event store: one SQLite file in WAL mode, one writer connection committing batches of
/// appends, readers on their own pooled connections. For a single silo (the default) — SQLite has no
/// cross-machine locking, so a multi-silo cluster uses <see cref="Postgres.PostgresEventStore"/>.
/// </summary>
public sealed partial class SqliteEventStore : GroupCommitEventStore
{
    private readonly string _connectionString;
    private SqliteBatchWriter? _writer;

    /// <param name="connectionStringOrPath">A Microsoft.Data.Sqlite connection string, or just a file path
    /// (the silo uses <c>./data/hikyaku.db</c>); the file's folder is created if missing.</param>
    public SqliteEventStore(string connectionStringOrPath, EventStoreOptions options, ILogger<SqliteEventStore>? logger = null)
        : base("sqlite", options, logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionStringOrPath);
        var builder = connectionStringOrPath.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(connectionStringOrPath)
            : new SqliteConnectionStringBuilder { DataSource = connectionStringOrPath };
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        _connectionString = builder.ToString();
        Subscribers = new SqliteSubscriberIndex(OpenAsync);
    }

    public override ISubscriberIndex Subscribers { get; }

    public override async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = SqliteSchema.WriterPragmas + SqliteSchema.Create;
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        cmd.CommandText = SqliteSchema.HasStepColumns;
        if (Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            cmd.CommandText = SqliteSchema.AddStepColumns;
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        cmd.CommandText = SqliteSchema.CreateStepIndex;
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        Logger.SchemaReady("SQLite", connection.DataSource);
    }

    public override async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, int afterVersion = 0, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT version, event_id, type, data, at FROM hk_events WHERE stream_id = $stream AND version > $after ORDER BY version";
        cmd.Parameters.AddWithValue("$stream", streamId);
        cmd.Parameters.AddWithValue("$after", afterVersion);
        var events = new List<StoredEvent>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new StoredEvent(streamId, r.GetInt32(0), r.GetGuid(1), r.GetString(2), r.GetString(3), StoredTime.FromText(r.GetString(4))));
        }

        return events;
    }

    public override async Task<int> GetStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT version FROM hk_streams WHERE stream_id = $stream";
        cmd.Parameters.AddWithValue("$stream", streamId);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version ? (int)version : 0;
    }

    public override async Task<Snapshot?> ReadSnapshotAsync(string streamId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT version, type, data FROM hk_snapshots WHERE stream_id = $stream";
        cmd.Parameters.AddWithValue("$stream", streamId);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new Snapshot(streamId, r.GetInt32(0), r.GetString(1), r.GetString(2))
            : null;
    }

    protected override AppendResult[] CommitBatch(IReadOnlyList<AppendRequest> batch, IReadOnlyList<Snapshot> snapshots)
    {
        try
        {
            _writer ??= new SqliteBatchWriter(_connectionString);
            return _writer.Commit(batch, snapshots);
        }
        catch (SqliteException)
        {
            // Start the next batch on a fresh connection rather than trust one that just failed.
            _writer?.Dispose();
            _writer = null;
            throw;
        }
    }

    // SQLITE_CONSTRAINT: a unique event id or key taken by another stream.
    protected override bool IsAppendFault(Exception exception) => exception is SqliteException { SqliteErrorCode: 19 };

    protected override ValueTask DisposeBackendAsync()
    {
        _writer?.Dispose();

        // Close this file's pooled reader connections so the file can be moved or deleted after disposal.
        using var pooled = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(pooled);
        return ValueTask.CompletedTask;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
