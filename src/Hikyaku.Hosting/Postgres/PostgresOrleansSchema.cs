using Npgsql;

namespace Hikyaku.Hosting.Postgres;

/// <summary>
/// Applies <c>deploy/postgres/orleans.sql</c> (embedded in this assembly): the tables and the <c>OrleansQuery</c> rows
/// that Orleans' ADO.NET clustering, grain-storage and reminder providers read at start-up.
/// </summary>
public static class PostgresOrleansSchema
{
    private const string ResourceName = "Hikyaku.Hosting.orleans.sql";

    // Any fixed 64-bit number: the key of the advisory lock every silo takes before applying the script.
    private const long AdvisoryLockKey = 0x48696B79616B7531; // "Hikyaku1"

    /// <summary>The schema script's text.</summary>
    public static string Script { get; } = ReadScript();

    /// <summary>
    /// Creates the Orleans tables and (re)registers the provider queries. Safe to run on every start and from
    /// several silos at once: the script is idempotent, runs in one transaction, and a transaction-scoped advisory
    /// lock serialises concurrent runs (concurrent <c>CREATE TABLE IF NOT EXISTS</c> can otherwise fail).
    /// </summary>
    public static async Task ApplyAsync(string connectionString, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        // No parameters: Npgsql sends the script as is, so the @names inside the stored query texts stay literal.
        await using (var scriptCommand = new NpgsqlCommand(Script, connection, transaction))
        {
            await scriptCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static string ReadScript()
    {
        using var stream = typeof(PostgresOrleansSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from Hikyaku.Hosting.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
