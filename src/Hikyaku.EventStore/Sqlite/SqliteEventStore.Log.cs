namespace Hikyaku.EventStore.Sqlite;

/// <summary>The global log and checkpoints on SQLite (<see cref="IEventLog"/>): seq is the rowid, so reading by it walks the table in order.</summary>
public sealed partial class SqliteEventStore
{
    public override async Task<IReadOnlyList<LoggedEvent>> ReadAllAsync(long afterPosition, int limit, string? streamPrefix = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();

        // substr rather than LIKE: a prefix is data, and '_' or '%' in it must not act as wildcards.
        cmd.CommandText = $"""
            SELECT seq, stream_id, version, event_id, type, data, at FROM hk_events
            WHERE seq > $after{(streamPrefix is null ? "" : " AND substr(stream_id, 1, length($prefix)) = $prefix")}
            ORDER BY seq LIMIT $limit
            """;
        cmd.Parameters.AddWithValue("$after", afterPosition);
        cmd.Parameters.AddWithValue("$limit", limit);
        if (streamPrefix is not null)
        {
            cmd.Parameters.AddWithValue("$prefix", streamPrefix);
        }

        var events = new List<LoggedEvent>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var stored = new StoredEvent(r.GetString(1), r.GetInt32(2), r.GetGuid(3), r.GetString(4), r.GetString(5), StoredTime.FromText(r.GetString(6)));
            events.Add(new LoggedEvent(r.GetInt64(0), stored));
        }

        return events;
    }

    public override async Task<long?> ReadCheckpointAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT position FROM hk_checkpoints WHERE name = $name";
        cmd.Parameters.AddWithValue("$name", name);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long position ? position : null;
    }

    public override async Task WriteCheckpointAsync(string name, long position, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO hk_checkpoints (name, position) VALUES ($name, $position) ON CONFLICT (name) DO UPDATE SET position = excluded.position";
        cmd.Parameters.AddWithValue("$name", name);
        cmd.Parameters.AddWithValue("$position", position);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
