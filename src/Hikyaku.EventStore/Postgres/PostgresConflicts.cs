using Hikyaku.EventStore.GroupCommit;
using Npgsql;

namespace Hikyaku.EventStore.Postgres;

/// <summary>
/// Decides the appends of a batch that did not get their expected version: a retry whose event ids
/// already landed (AlreadyAppended) or a real conflict — both with the stream's actual version.
/// </summary>
internal static class PostgresConflicts
{
    private const string StreamVersions = """
        SELECT i.stream_id, coalesce(s.version, 0)
        FROM unnest($1::text[]) AS i(stream_id) LEFT JOIN hk_streams s ON s.stream_id = i.stream_id
        """;

    private const string LandedEvents = """
        SELECT e.event_id, s.stream_id, e.version FROM hk_events e JOIN hk_streams s ON s.stream_no = e.stream_no
        WHERE e.event_id = ANY($1)
        """;

    public static void Resolve(NpgsqlConnection connection, IReadOnlyList<AppendRequest> batch, List<int> lost, AppendResult[] results)
    {
        using var lookup = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(StreamVersions) { Parameters = { new() { Value = lost.Select(i => batch[i].StreamId).ToArray() } } },
                new NpgsqlBatchCommand(LandedEvents) { Parameters = { new() { Value = lost.SelectMany(i => batch[i].Events).Select(e => e.EventId).ToArray() } } },
            },
        };

        var versions = new Dictionary<string, int>(StringComparer.Ordinal);
        var landed = new Dictionary<Guid, (string StreamId, int Version)>();
        using (var reader = lookup.ExecuteReader())
        {
            while (reader.Read())
            {
                versions[reader.GetString(0)] = reader.GetInt32(1);
            }

            reader.NextResult();
            while (reader.Read())
            {
                landed[reader.GetGuid(0)] = (reader.GetString(1), reader.GetInt32(2));
            }
        }

        foreach (var i in lost)
        {
            var current = versions[batch[i].StreamId];
            results[i] = RetriedAppend.AlreadyLanded(batch[i], landed)
                ? new AppendResult(AppendStatus.AlreadyAppended, current)
                : new AppendResult(AppendStatus.Conflict, current);
        }
    }
}
