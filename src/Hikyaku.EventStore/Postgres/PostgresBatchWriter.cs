using Hikyaku.EventStore.GroupCommit;
using Npgsql;
using NpgsqlTypes;

namespace Hikyaku.EventStore.Postgres;

/// <summary>
/// Writes one batch of appends (distinct streams) in one transaction, marten-style: claim the new
/// versions on hk_streams for the whole batch in one statement (rows not returned lost their
/// expected version; the others come back with their stream's number), COPY the claimed appends' events
/// under those numbers, upsert their projection rows, then tell the
/// losers apart: a retry of an append that already landed, or a real conflict. Snapshots queued
/// meanwhile are upserted in the same transaction. Synchronous: it runs on a writer thread of the
/// group-commit batcher, which blocks on each round trip instead of resuming through the busy thread pool.
/// </summary>
internal static class PostgresBatchWriter
{
    private const string ClaimVersions = """
        WITH input AS (
            SELECT * FROM unnest($1::text[], $2::int[], $3::int[]) AS i(stream_id, expected, next)
        ), updated AS (
            UPDATE hk_streams s SET version = i.next FROM input i
            WHERE i.expected > 0 AND s.stream_id = i.stream_id AND s.version = i.expected
            RETURNING s.stream_id, s.stream_no
        ), created AS (
            INSERT INTO hk_streams (stream_id, version)
            SELECT stream_id, next FROM input WHERE expected = 0 ORDER BY stream_id COLLATE "C"
            ON CONFLICT (stream_id) DO NOTHING
            RETURNING stream_id, stream_no
        )
        SELECT stream_id, stream_no FROM updated UNION ALL SELECT stream_id, stream_no FROM created
        """;

    // The WHERE keeps a newer snapshot when an older one arrives late (say, from a grain's previous activation).
    private const string UpsertSnapshotsSql = """
        INSERT INTO hk_snapshots (stream_id, version, type, data)
        SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[])
        ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, type = excluded.type, data = excluded.data
        WHERE excluded.version >= hk_snapshots.version
        """;

    private const string CopyEventsSql = "COPY hk_events (stream_no, version, event_id, type, data, at) FROM STDIN (FORMAT BINARY)";

    public static AppendResult[] Commit(NpgsqlDataSource dataSource, IReadOnlyList<AppendRequest> requests, IReadOnlyList<Snapshot> snapshots)
    {
        // Every statement then visits streams in the same (bytewise) order on every silo, which keeps
        // row locks from being taken crosswise; results go back in the callers' order at the end.
        var order = Enumerable.Range(0, requests.Count).OrderBy(i => requests[i].StreamId, StringComparer.Ordinal).ToArray();
        var batch = Array.ConvertAll(order, i => requests[i]);
        var sorted = CommitSorted(dataSource, batch, [.. snapshots.OrderBy(s => s.StreamId, StringComparer.Ordinal)]);
        var results = new AppendResult[requests.Count];
        for (var i = 0; i < order.Length; i++)
        {
            results[order[i]] = sorted[i];
        }

        return results;
    }

    private static AppendResult[] CommitSorted(NpgsqlDataSource dataSource, AppendRequest[] batch, Snapshot[] snapshots)
    {
        using var connection = dataSource.OpenConnection();
        using var tx = connection.BeginTransaction();
        var claimed = batch.Length == 0 ? [] : Claim(connection, batch);
        var results = new AppendResult[batch.Length];
        var appended = new List<(AppendRequest Request, long StreamNo)>(claimed.Count);
        var lost = new List<int>();
        for (var i = 0; i < batch.Length; i++)
        {
            if (claimed.TryGetValue(batch[i].StreamId, out var streamNo))
            {
                appended.Add((batch[i], streamNo));
                results[i] = new AppendResult(AppendStatus.Appended, batch[i].ExpectedVersion + batch[i].Events.Count);
            }
            else
            {
                lost.Add(i);
            }
        }

        if (appended.Count > 0)
        {
            CopyEvents(connection, appended);
            PostgresSubscriberRows.Upsert(connection, appended.SelectMany(a => a.Request.SubscriberRows ?? []));
        }

        if (lost.Count > 0)
        {
            PostgresConflicts.Resolve(connection, batch, lost, results);
        }

        if (snapshots.Length > 0)
        {
            UpsertSnapshots(connection, snapshots);
        }

        tx.Commit();
        return results;
    }

    // Rows not returned lost their expected version; the others come with the stream's number, which their
    // events carry. The input is sorted, so the index lookups (and the row locks they take) go in one order on
    // every silo; should two silos still deadlock on the same streams (only during a duplicate grain
    // activation), PostgreSQL aborts one batch and its callers retry, idempotently. An explicit SELECT ... FOR UPDATE first measured too costly to pay on every batch.
    private static Dictionary<string, long> Claim(NpgsqlConnection connection, AppendRequest[] batch)
    {
        using var claim = new NpgsqlCommand(ClaimVersions, connection)
        {
            Parameters =
            {
                new() { Value = batch.Select(r => r.StreamId).ToArray() },
                new() { Value = batch.Select(r => r.ExpectedVersion).ToArray() },
                new() { Value = batch.Select(r => r.ExpectedVersion + r.Events.Count).ToArray() },
            },
        };

        var claimed = new Dictionary<string, long>(batch.Length, StringComparer.Ordinal);
        using var reader = claim.ExecuteReader();
        while (reader.Read())
        {
            claimed.Add(reader.GetString(0), reader.GetInt64(1));
        }

        return claimed;
    }

    private static void UpsertSnapshots(NpgsqlConnection connection, Snapshot[] snapshots)
    {
        using var upsert = new NpgsqlCommand(UpsertSnapshotsSql, connection)
        {
            Parameters =
            {
                new() { Value = Array.ConvertAll(snapshots, s => s.StreamId) },
                new() { Value = Array.ConvertAll(snapshots, s => s.Version) },
                new() { Value = Array.ConvertAll(snapshots, s => s.Type) },
                new() { Value = Array.ConvertAll(snapshots, s => s.Json) },
            },
        };
        upsert.ExecuteNonQuery();
    }

    // Binary COPY is the fastest way in: measured 76–100k events/s here against 55k for multi-row INSERT.
    private static void CopyEvents(NpgsqlConnection connection, List<(AppendRequest Request, long StreamNo)> appended)
    {
        using var copy = connection.BeginBinaryImport(CopyEventsSql);
        foreach (var (request, streamNo) in appended)
        {
            var version = request.ExpectedVersion;
            foreach (var e in request.Events)
            {
                copy.StartRow();
                copy.Write(streamNo, NpgsqlDbType.Bigint);
                copy.Write(++version, NpgsqlDbType.Integer);
                copy.Write(e.EventId, NpgsqlDbType.Uuid);
                copy.Write(e.Type, NpgsqlDbType.Text);
                copy.Write(e.Json, NpgsqlDbType.Text);
                copy.Write(StoredTime.Normalize(e.At), NpgsqlDbType.TimestampTz);
            }
        }

        copy.Complete();
    }
}
