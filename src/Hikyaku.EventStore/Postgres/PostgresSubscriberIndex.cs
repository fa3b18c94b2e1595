using Npgsql;

namespace Hikyaku.EventStore.Postgres;

/// <summary>The subscriber projection on PostgreSQL; appends write it inside their batch transaction.</summary>
internal sealed class PostgresSubscriberIndex(NpgsqlDataSource dataSource) : ISubscriberIndex
{
    private const string Select = $"SELECT {PostgresSubscriberRows.Columns} FROM hk_subscribers";

    public async Task<SubscriberRow?> GetAsync(string tenantId, string magazineId, string email, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"{Select} WHERE tenant_id = $1 AND magazine_id = $2 AND email = $3");
        cmd.Parameters.Add(new() { Value = tenantId });
        cmd.Parameters.Add(new() { Value = magazineId });
        cmd.Parameters.Add(new() { Value = email });
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? PostgresSubscriberRows.Read(r) : null;
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
        var filtered = statuses is { Count: > 0 };
        var prefixed = !string.IsNullOrEmpty(emailPrefix);

        // Texts without "$5 IS NULL OR ...", so each gets the plan that fits its index. The prefix is a range of the
        // email column (COLLATE "C": byte order), never LIKE, whose wildcards the prefix would have to escape.
        await using var cmd = dataSource.CreateCommand(
            $"{Select} WHERE tenant_id = $1 AND magazine_id = $2 AND email > $3{(prefixed ? " AND email >= $5 AND email < $6" : "")}" +
            $"{(filtered ? $" AND status = ANY(${(prefixed ? 7 : 5)})" : "")} ORDER BY email LIMIT $4");
        cmd.Parameters.Add(new() { Value = tenantId });
        cmd.Parameters.Add(new() { Value = magazineId });
        cmd.Parameters.Add(new() { Value = afterEmail ?? "" });
        cmd.Parameters.Add(new() { Value = limit });
        if (prefixed)
        {
            cmd.Parameters.Add(new() { Value = emailPrefix });
            cmd.Parameters.Add(new() { Value = ISubscriberIndex.PrefixEnd(emailPrefix!) });
        }

        if (filtered)
        {
            cmd.Parameters.Add(new() { Value = statuses!.ToArray() });
        }

        var rows = new List<SubscriberRow>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(PostgresSubscriberRows.Read(r));
        }

        return rows;
    }

    public async Task<IReadOnlyList<SubscriberRow>> DueStepsAsync(
        string tenantId, string magazineId, DateTimeOffset dueBy, DateTimeOffset? afterDue, string? afterEmail, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var cmd = dataSource.CreateCommand(
            $"{Select} WHERE tenant_id = $1 AND magazine_id = $2 AND step_due_at IS NOT NULL AND step_due_at <= $3" +
            " AND (step_due_at, email) > ($4, $5) AND status IN ('active', 'held') ORDER BY step_due_at, email LIMIT $6");
        cmd.Parameters.Add(new() { Value = tenantId });
        cmd.Parameters.Add(new() { Value = magazineId });
        cmd.Parameters.Add(new() { Value = StoredTime.Normalize(dueBy) });
        cmd.Parameters.Add(new() { Value = afterDue is { } a ? StoredTime.Normalize(a) : DateTimeOffset.UnixEpoch });
        cmd.Parameters.Add(new() { Value = afterEmail ?? "" });
        cmd.Parameters.Add(new() { Value = limit });
        var rows = new List<SubscriberRow>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(PostgresSubscriberRows.Read(r));
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
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await PostgresSubscriberRows.UpsertAsync(connection, [row], cancellationToken).ConfigureAwait(false);
    }

    public async Task UpsertRebuiltAsync(IReadOnlyCollection<SubscriberRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await PostgresSubscriberRows.UpsertAsync(connection, rows, cancellationToken, rebuilt: true).ConfigureAwait(false);
    }

    private async Task<IReadOnlyDictionary<string, int>> CountAsync(string column, string tenantId, string magazineId, string? status, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {column}, count(*)::int FROM hk_subscribers WHERE tenant_id = $1 AND magazine_id = $2{(status is null ? "" : " AND status = $3")} GROUP BY {column}");
        cmd.Parameters.Add(new() { Value = tenantId });
        cmd.Parameters.Add(new() { Value = magazineId });
        if (status is not null)
        {
            cmd.Parameters.Add(new() { Value = status });
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[r.GetString(0)] = r.GetInt32(1);
        }

        return counts;
    }
}
