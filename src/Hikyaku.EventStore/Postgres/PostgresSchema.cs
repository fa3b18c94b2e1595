using Npgsql;

namespace Hikyaku.EventStore.Postgres;

/// <summary>Applies deploy/postgres/eventstore.sql, which is embedded in this assembly.</summary>
internal static class PostgresSchema
{
    private const string ResourceName = "Hikyaku.EventStore.Postgres.eventstore.sql";

    public static string Script { get; } = LoadScript();

    /// <summary>
    /// Runs the script in one transaction under a transaction-scoped advisory lock: CREATE ... IF NOT
    /// EXISTS alone still fails when two silos create the same table at the same moment.
    /// </summary>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var serialize = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('hikyaku.eventstore.schema', 0))", connection, tx))
        {
            await serialize.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var create = new NpgsqlCommand(Script, connection, tx))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string LoadScript()
    {
        using var stream = typeof(PostgresSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
