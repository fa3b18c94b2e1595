using Microsoft.Data.Sqlite;

namespace Hikyaku.EndToEnd.Tests.Infrastructure;

/// <summary>Reads the embedded silo's SQLite event store directly, to check what a request changed.</summary>
public static class StoreProbe
{
    public sealed record Counts(long Events, long Streams, long Subscribers);

    public static Counts Count(string dataDir)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "hikyaku.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        long Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return (long)command.ExecuteScalar()!;
        }

        return new Counts(Scalar("SELECT COUNT(*) FROM hk_events"), Scalar("SELECT COUNT(*) FROM hk_streams"), Scalar("SELECT COUNT(*) FROM hk_subscribers"));
    }
}
