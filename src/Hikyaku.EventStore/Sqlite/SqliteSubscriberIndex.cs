using Microsoft.Data.Sqlite;

namespace Hikyaku.EventStore.Sqlite;

/// <summary>The subscriber projection in SQLite; rows are written by the append batches and by <see cref="UpsertAsync"/>.</summary>
internal sealed class SqliteSubscriberIndex(Func<CancellationToken, Task<SqliteConnection>> open) : ISubscriberIndex
{
    public async Task<SubscriberRow?> GetAsync(string tenantId, string magazineId, string email, CancellationToken cancellationToken = default)
    {
        await using var connection = await open(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {SqliteSubscriberRows.Columns} FROM hk_subscribers WHERE tenant_id = $tenant AND magazine_id = $magazine AND email = $email";
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        cmd.Parameters.AddWithValue("$magazine", magazineId);
        cmd.Parameters.AddWithValue("$email", email);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? SqliteSubscriberRows.Read(r) : null;
    }

    public async Task<IReadOnlyList<SubscriberRow>> PageAsync(
        string tenantId,
        string magazineId,
        IReadOnlyCollection<string>? statuses,
        string? afterEmail,
        int limit,
        string? emailPrefix = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await open(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        var filters = "";
        if (statuses is { Count: > 0 })
        {
            var names = statuses.Select((status, i) => (Name: $"$s{i}", Status: status)).ToList();
            names.ForEach(n => cmd.Parameters.AddWithValue(n.Name, n.Status));
            filters = $" AND status IN ({string.Join(", ", names.Select(n => n.Name))})";
        }

        // The prefix is a range of the primary key (BINARY collation: byte order), not LIKE: SQLite's LIKE ignores
        // ASCII case and its wildcards would need escaping.
        if (!string.IsNullOrEmpty(emailPrefix))
        {
            filters += " AND email >= $prefix AND email < $prefixEnd";
            cmd.Parameters.AddWithValue("$prefix", emailPrefix);
            cmd.Parameters.AddWithValue("$prefixEnd", ISubscriberIndex.PrefixEnd(emailPrefix));
        }

        cmd.CommandText = $"""
            SELECT {SqliteSubscriberRows.Columns} FROM hk_subscribers
            WHERE tenant_id = $tenant AND magazine_id = $magazine AND email > $after{filters}
            ORDER BY email LIMIT $limit
            """;
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        cmd.Parameters.AddWithValue("$magazine", magazineId);
        cmd.Parameters.AddWithValue("$after", afterEmail ?? "");
        cmd.Parameters.AddWithValue("$limit", limit);
        var rows = new List<SubscriberRow>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(SqliteSubscriberRows.Read(r));
        }

        return rows;
    }

    public async Task<IReadOnlyList<SubscriberRow>> DueStepsAsync(
        string tenantId, string magazineId, DateTimeOffset dueBy, DateTimeOffset? afterDue, string? afterEmail, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await open(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT {SqliteSubscriberRows.Columns} FROM hk_subscribers
            WHERE tenant_id = $tenant AND magazine_id = $magazine AND step_due_at IS NOT NULL AND step_due_at <= $dueBy
              AND (step_due_at > $afterDue OR (step_due_at = $afterDue AND email > $afterEmail))
              AND status IN ('active', 'held')
            ORDER BY step_due_at, email LIMIT $limit
            """;
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        cmd.Parameters.AddWithValue("$magazine", magazineId);
        cmd.Parameters.AddWithValue("$dueBy", StoredTime.ToText(dueBy));
        cmd.Parameters.AddWithValue("$afterDue", afterDue is { } a ? StoredTime.ToText(a) : "");
        cmd.Parameters.AddWithValue("$afterEmail", afterEmail ?? "");
        cmd.Parameters.AddWithValue("$limit", limit);
        var rows = new List<SubscriberRow>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(SqliteSubscriberRows.Read(r));
        }

        return rows;
    }

    public Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(string tenantId, string magazineId, CancellationToken cancellationToken = default) =>
        CountAsync("status", tenantId, magazineId, null, cancellationToken);

    public Task<IReadOnlyDictionary<string, int>> CountByDomainAsync(string tenantId, string magazineId, string? status, CancellationToken cancellationToken = default) =>
        CountAsync("domain", tenantId, magazineId, status, cancellationToken);

    public async Task UpsertAsync(SubscriberRow row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        await using var connection = await open(cancellationToken).ConfigureAwait(false);
        await using var cmd = SqliteSubscriberRows.CreateUpsert(connection);
        SqliteSubscriberRows.Bind(cmd, row);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task UpsertRebuiltAsync(IReadOnlyCollection<SubscriberRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var connection = await open(cancellationToken).ConfigureAwait(false);
        await using var tx = connection.BeginTransaction(deferred: false);
        await using var cmd = SqliteSubscriberRows.CreateUpsert(connection, SqliteSchema.UpsertRebuiltSubscriber);
        cmd.Transaction = tx;
        foreach (var row in rows)
        {
            SqliteSubscriberRows.Bind(cmd, row);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyDictionary<string, int>> CountAsync(string column, string tenantId, string magazineId, string? status, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT {column}, COUNT(*) FROM hk_subscribers
            WHERE tenant_id = $tenant AND magazine_id = $magazine AND ($status IS NULL OR status = $status)
            GROUP BY {column}
            """;
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        cmd.Parameters.AddWithValue("$magazine", magazineId);
        cmd.Parameters.AddWithValue("$status", (object?)status ?? DBNull.Value);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[r.GetString(0)] = r.GetInt32(1);
        }

        return counts;
    }
}
