using Npgsql;

namespace Hikyaku.EventStore.Postgres;

/// <summary>Writes and reads <see cref="SubscriberRow"/>s of hk_subscribers.</summary>
internal static class PostgresSubscriberRows
{
    public const string Columns = "tenant_id, magazine_id, email, domain, status, status_reason, subscribed_at, updated_at, last_reply, stream_version, step_story, step_due_at";

    private const string UpsertSql = $"""
        INSERT INTO hk_subscribers ({Columns})
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::text[], $10::int[], $11::text[], $12::timestamptz[])
        ON CONFLICT (tenant_id, magazine_id, email) DO UPDATE SET
            domain = excluded.domain, status = excluded.status, status_reason = excluded.status_reason,
            subscribed_at = excluded.subscribed_at, updated_at = excluded.updated_at,
            last_reply = excluded.last_reply, stream_version = excluded.stream_version,
            step_story = excluded.step_story, step_due_at = excluded.step_due_at
        """;

    private const string UpsertRebuiltSql = UpsertSql + " WHERE excluded.stream_version >= hk_subscribers.stream_version";

    /// <summary>
    /// Upserts all rows in one statement. A key given twice keeps its last row: PostgreSQL refuses to
    /// update one row twice in a statement, and the later append is the newer truth.
    /// </summary>
    /// <param name="rebuilt">Rows from a rebuild: a stored row with a higher stream version is kept.</param>
    public static async Task UpsertAsync(NpgsqlConnection connection, IEnumerable<SubscriberRow> rows, CancellationToken cancellationToken, bool rebuilt = false)
    {
        await using var cmd = UpsertCommand(connection, rows, rebuilt);
        if (cmd is not null)
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>As <see cref="UpsertAsync"/>, blocking: for the group-commit writer thread.</summary>
    public static void Upsert(NpgsqlConnection connection, IEnumerable<SubscriberRow> rows)
    {
        using var cmd = UpsertCommand(connection, rows, rebuilt: false);
        cmd?.ExecuteNonQuery();
    }

    private static NpgsqlCommand? UpsertCommand(NpgsqlConnection connection, IEnumerable<SubscriberRow> rows, bool rebuilt)
    {
        var latest = new Dictionary<(string, string, string), SubscriberRow>();
        foreach (var row in rows)
        {
            latest[(row.TenantId, row.MagazineId, row.Email)] = row;
        }

        if (latest.Count == 0)
        {
            return null;
        }

        var all = latest.Values;
        return new NpgsqlCommand(rebuilt ? UpsertRebuiltSql : UpsertSql, connection)
        {
            Parameters =
            {
                new() { Value = all.Select(r => r.TenantId).ToArray() },
                new() { Value = all.Select(r => r.MagazineId).ToArray() },
                new() { Value = all.Select(r => r.Email).ToArray() },
                new() { Value = all.Select(r => r.Domain).ToArray() },
                new() { Value = all.Select(r => r.Status).ToArray() },
                new() { Value = all.Select(r => r.StatusReason).ToArray() },
                new() { Value = all.Select(r => StoredTime.Normalize(r.SubscribedAt)).ToArray() },
                new() { Value = all.Select(r => StoredTime.Normalize(r.UpdatedAt)).ToArray() },
                new() { Value = all.Select(r => r.LastReply).ToArray() },
                new() { Value = all.Select(r => r.StreamVersion).ToArray() },
                new() { Value = all.Select(r => r.StepStory).ToArray() },
                new() { Value = all.Select(r => r.StepDueAt is { } due ? StoredTime.Normalize(due) : (DateTimeOffset?)null).ToArray() },
            },
        };
    }

    public static SubscriberRow Read(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.GetString(3),
        r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5),
        r.GetFieldValue<DateTimeOffset>(6),
        r.GetFieldValue<DateTimeOffset>(7),
        r.IsDBNull(8) ? null : r.GetString(8),
        r.GetInt32(9),
        r.IsDBNull(10) ? null : r.GetString(10),
        r.IsDBNull(11) ? null : r.GetFieldValue<DateTimeOffset>(11));
}
