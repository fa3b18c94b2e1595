using Hikyaku.EventStore.GroupCommit;
using Microsoft.Data.Sqlite;

namespace Hikyaku.EventStore.Sqlite;

/// <summary>
/// The one SQLite writer connection with its prepared statements. SQLite allows one writer at a time,
/// so a single connection writing whole batches is both the fastest and the simplest arrangement.
/// Used only from the group-commit loop, never concurrently.
/// </summary>
internal sealed class SqliteBatchWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _readVersion;
    private readonly SqliteCommand _writeVersion;
    private readonly SqliteCommand _insertEvent;
    private readonly SqliteCommand _findEvent;
    private readonly SqliteCommand _upsertSubscriber;
    private readonly SqliteCommand _upsertSnapshot;

    // Every command above: each batch puts them in its transaction, and Dispose releases them.
    private readonly SqliteCommand[] _commands;

    public SqliteBatchWriter(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using (var pragmas = _connection.CreateCommand())
        {
            pragmas.CommandText = SqliteSchema.WriterPragmas;
            pragmas.ExecuteNonQuery();
        }

        _readVersion = Prepare("SELECT version FROM hk_streams WHERE stream_id = $stream", "$stream");
        _writeVersion = Prepare(
            "INSERT INTO hk_streams (stream_id, version) VALUES ($stream, $version) ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version",
            "$stream", "$version");
        _insertEvent = Prepare(
            "INSERT INTO hk_events (stream_id, version, event_id, type, data, at) VALUES ($stream, $version, $id, $type, $data, $at)",
            "$stream", "$version", "$id", "$type", "$data", "$at");
        _findEvent = Prepare("SELECT stream_id, version FROM hk_events WHERE event_id = $id", "$id");
        _upsertSubscriber = SqliteSubscriberRows.CreateUpsert(_connection);

        // The WHERE keeps a newer snapshot when an older one arrives late.
        _upsertSnapshot = Prepare(
            """
            INSERT INTO hk_snapshots (stream_id, version, type, data) VALUES ($stream, $version, $type, $data)
            ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, type = excluded.type, data = excluded.data
            WHERE excluded.version >= hk_snapshots.version
            """,
            "$stream", "$version", "$type", "$data");
        _commands = [_readVersion, _writeVersion, _insertEvent, _findEvent, _upsertSubscriber, _upsertSnapshot];
    }

    /// <summary>
    /// One transaction for the batch and the snapshots that came with it. Each append is checked against its
    /// stream's version first and written only if it matches, so a conflict costs its caller alone.
    /// </summary>
    public AppendResult[] Commit(IReadOnlyList<AppendRequest> batch, IReadOnlyList<Snapshot> snapshots)
    {
        var results = new AppendResult[batch.Count];
        using var tx = _connection.BeginTransaction(deferred: false);
        foreach (var cmd in _commands)
        {
            cmd.Transaction = tx;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            results[i] = Apply(batch[i]);
        }

        foreach (var snapshot in snapshots)
        {
            var p = _upsertSnapshot.Parameters;
            p[0].Value = snapshot.StreamId;
            p[1].Value = snapshot.Version;
            p[2].Value = snapshot.Type;
            p[3].Value = snapshot.Json;
            _upsertSnapshot.ExecuteNonQuery();
        }

        tx.Commit();
        return results;
    }

    public void Dispose()
    {
        foreach (var cmd in _commands)
        {
            cmd.Dispose();
        }

        _connection.Dispose();
    }

    private AppendResult Apply(AppendRequest request)
    {
        _readVersion.Parameters[0].Value = request.StreamId;
        var current = _readVersion.ExecuteScalar() is long v ? (int)v : 0;
        if (current != request.ExpectedVersion)
        {
            return AlreadyLanded(request) ? new(AppendStatus.AlreadyAppended, current) : new(AppendStatus.Conflict, current);
        }

        var version = request.ExpectedVersion;
        foreach (var e in request.Events)
        {
            var p = _insertEvent.Parameters;
            p[0].Value = request.StreamId;
            p[1].Value = ++version;
            p[2].Value = e.EventId;
            p[3].Value = e.Type;
            p[4].Value = e.Json;
            p[5].Value = StoredTime.ToText(e.At);
            _insertEvent.ExecuteNonQuery();
        }

        _writeVersion.Parameters[0].Value = request.StreamId;
        _writeVersion.Parameters[1].Value = version;
        _writeVersion.ExecuteNonQuery();
        foreach (var row in request.SubscriberRows ?? [])
        {
            SqliteSubscriberRows.Bind(_upsertSubscriber, row);
            _upsertSubscriber.ExecuteNonQuery();
        }

        return new(AppendStatus.Appended, version);
    }

    private bool AlreadyLanded(AppendRequest request)
    {
        var found = new Dictionary<Guid, (string, int)>();
        foreach (var e in request.Events)
        {
            _findEvent.Parameters[0].Value = e.EventId;
            using var r = _findEvent.ExecuteReader();
            if (r.Read())
            {
                found[e.EventId] = (r.GetString(0), r.GetInt32(1));
            }
        }

        return RetriedAppend.AlreadyLanded(request, found);
    }

    // Microsoft.Data.Sqlite compiles a command's statement on first use and keeps it while the command
    // lives, so these long-lived commands are prepared statements.
    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var name in parameters)
        {
            cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return cmd;
    }
}
