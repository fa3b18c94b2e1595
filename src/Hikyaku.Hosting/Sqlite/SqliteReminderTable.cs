using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Hikyaku.Hosting.Sqlite;

/// <summary>
/// Orleans' <see cref="IReminderTable"/> on a SQLite file, for the embedded single-silo mode. Semantics follow the
/// contract as the ADO.NET and in-memory tables implement it (Orleans.Reminders 10.4.2: IReminderTable,
/// ReminderTableGrain, AdoNetReminderTable): rows are keyed by (service, grain, name); every upsert returns a new
/// ETag; a remove with a stale ETag changes nothing and returns false; a hash range is (begin, end] on the uint ring,
/// wrapping when begin >= end (RingRange.SingleRange.InRange), so begin == end is the whole ring.
/// </summary>
public sealed class SqliteReminderTable : IReminderTable
{
    private const string Columns = "grain_id, reminder_name, start_at_ticks, period_ticks, etag";
    private readonly string _connectionString;
    private readonly string _filePath;
    private readonly string _serviceId;

    /// <summary>Creates the table over <paramref name="filePath"/>, scoped to the cluster's service id.</summary>
    public SqliteReminderTable(string filePath, IOptions<ClusterOptions> clusterOptions)
    {
        _filePath = filePath;
        _serviceId = clusterOptions.Value.ServiceId;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = filePath, Pooling = true }.ToString();
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_filePath)!);
        await using var connection = await OpenAsync(cancellationToken);
        // WAL: readers never block the writer; the grain hash is stored unsigned (SQLite integers are 64-bit), so
        // range queries compare the same numbers Orleans' ring does.
        await ExecuteAsync(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS reminders (
                service_id     TEXT    NOT NULL,
                grain_id       TEXT    NOT NULL,
                reminder_name  TEXT    NOT NULL,
                grain_hash     INTEGER NOT NULL,
                start_at_ticks INTEGER NOT NULL,
                period_ticks   INTEGER NOT NULL,
                etag           TEXT    NOT NULL,
                PRIMARY KEY (service_id, grain_id, reminder_name)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS ix_reminders_hash ON reminders (service_id, grain_hash);
            """, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        QueryAsync($"SELECT {Columns} FROM reminders WHERE service_id = $service AND grain_id = $grain",
            p => p.AddWithValue("$grain", grainId.ToString()));

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        QueryAsync(
            begin < end
                ? $"SELECT {Columns} FROM reminders WHERE service_id = $service AND grain_hash > $begin AND grain_hash <= $end"
                : $"SELECT {Columns} FROM reminders WHERE service_id = $service AND (grain_hash > $begin OR grain_hash <= $end)",
            p =>
            {
                p.AddWithValue("$begin", (long)begin);
                p.AddWithValue("$end", (long)end);
            });

    /// <inheritdoc />
    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        var rows = await QueryAsync(
            $"SELECT {Columns} FROM reminders WHERE service_id = $service AND grain_id = $grain AND reminder_name = $name",
            p =>
            {
                p.AddWithValue("$grain", grainId.ToString());
                p.AddWithValue("$name", reminderName);
            });
        return rows.Reminders.SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        // A fresh random ETag per write: unlike a counter it cannot repeat after a remove and re-insert.
        var etag = Guid.NewGuid().ToString("N");
        // Unspecified is taken as UTC, as AdoNetReminderTable.UpsertRow does.
        var startAt = entry.StartAt.Kind == DateTimeKind.Local ? entry.StartAt.ToUniversalTime() : entry.StartAt;
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = Command(connection, """
            INSERT INTO reminders (service_id, grain_id, reminder_name, grain_hash, start_at_ticks, period_ticks, etag)
            VALUES ($service, $grain, $name, $hash, $start, $period, $etag)
            ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE SET
                grain_hash = excluded.grain_hash, start_at_ticks = excluded.start_at_ticks,
                period_ticks = excluded.period_ticks, etag = excluded.etag
            """);
        command.Parameters.AddWithValue("$grain", entry.GrainId.ToString());
        command.Parameters.AddWithValue("$name", entry.ReminderName);
        command.Parameters.AddWithValue("$hash", (long)entry.GrainId.GetUniformHashCode());
        command.Parameters.AddWithValue("$start", startAt.Ticks);
        command.Parameters.AddWithValue("$period", entry.Period.Ticks);
        command.Parameters.AddWithValue("$etag", etag);
        await command.ExecuteNonQueryAsync();
        return etag;
    }

    /// <inheritdoc />
    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = Command(connection,
            "DELETE FROM reminders WHERE service_id = $service AND grain_id = $grain AND reminder_name = $name AND etag = $etag");
        command.Parameters.AddWithValue("$grain", grainId.ToString());
        command.Parameters.AddWithValue("$name", reminderName);
        command.Parameters.AddWithValue("$etag", eTag);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    /// <inheritdoc />
    public async Task TestOnlyClearTable()
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = Command(connection, "DELETE FROM reminders WHERE service_id = $service");
        await command.ExecuteNonQueryAsync();
    }

    private async Task<ReminderTableData> QueryAsync(string sql, Action<SqliteParameterCollection> bind)
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = Command(connection, sql);
        bind(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<ReminderEntry>();
        while (await reader.ReadAsync())
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
                ReminderName = reader.GetString(1),
                StartAt = new DateTime(reader.GetInt64(2), DateTimeKind.Utc),
                Period = TimeSpan.FromTicks(reader.GetInt64(3)),
                ETag = reader.GetString(4),
            });
        }

        return new ReminderTableData(entries);
    }

    private SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$service", _serviceId);
        return command;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
