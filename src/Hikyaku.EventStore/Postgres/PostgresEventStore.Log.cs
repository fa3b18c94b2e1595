namespace Hikyaku.EventStore.Postgres;

/// <summary>The global log and checkpoints on PostgreSQL (<see cref="IEventLog"/>).</summary>
public sealed partial class PostgresEventStore
{
    public override async Task<IReadOnlyList<LoggedEvent>> ReadAllAsync(long afterPosition, int limit, string? streamPrefix = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);

        // starts_with rather than LIKE: a prefix is data, and '_' or '%' in it must not act as wildcards.
        await using var cmd = _dataSource.CreateCommand($"""
            SELECT e.seq, s.stream_id, e.version, e.event_id, e.type, e.data, e.at FROM hk_events e JOIN hk_streams s ON s.stream_no = e.stream_no
            WHERE e.seq > $1{(streamPrefix is null ? "" : " AND starts_with(s.stream_id, $3)")}
            ORDER BY e.seq LIMIT $2
            """);
        cmd.Parameters.Add(new() { Value = afterPosition });
        cmd.Parameters.Add(new() { Value = limit });
        if (streamPrefix is not null)
        {
            cmd.Parameters.Add(new() { Value = streamPrefix });
        }

        var events = new List<LoggedEvent>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var stored = new StoredEvent(r.GetString(1), r.GetInt32(2), r.GetGuid(3), r.GetString(4), r.GetString(5), r.GetFieldValue<DateTimeOffset>(6));
            events.Add(new LoggedEvent(r.GetInt64(0), stored));
        }

        return events;
    }

    public override async Task<long?> ReadCheckpointAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        await using var cmd = _dataSource.CreateCommand("SELECT position FROM hk_checkpoints WHERE name = $1");
        cmd.Parameters.Add(new() { Value = name });
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long position ? position : null;
    }

    public override async Task WriteCheckpointAsync(string name, long position, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        await using var cmd = _dataSource.CreateCommand("""
            INSERT INTO hk_checkpoints (name, position) VALUES ($1, $2)
            ON CONFLICT (name) DO UPDATE SET position = excluded.position
            """);
        cmd.Parameters.Add(new() { Value = name });
        cmd.Parameters.Add(new() { Value = position });
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
