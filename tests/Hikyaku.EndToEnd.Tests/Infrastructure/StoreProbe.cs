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

    /// <summary>The newest events (stream, type), to say what changed when something should not have.</summary>
    public static string Newest(string dataDir, int count)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "hikyaku.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT stream_id, type FROM hk_events ORDER BY seq DESC LIMIT $n";
        command.Parameters.AddWithValue("$n", count);
        using var reader = command.ExecuteReader();
        var events = new List<string>();
        while (reader.Read())
        {
            events.Add($"{reader.GetString(0)} {reader.GetString(1)}");
        }

        return string.Join("; ", events);
    }

    /// <summary>Whether <paramref name="text"/> appears anywhere in stored events or snapshots (say, a secret that must not).</summary>
    public static bool Holds(string dataDir, string text)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "hikyaku.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM hk_events WHERE instr(data, $t) > 0) + (SELECT COUNT(*) FROM hk_snapshots WHERE instr(data, $t) > 0)";
        command.Parameters.AddWithValue("$t", text);
        return (long)command.ExecuteScalar()! > 0;
    }

    /// <summary>The most times <paramref name="text"/> occurs in one stored event: how many items the largest list of that kind holds.</summary>
    public static long MostInOneEvent(string dataDir, string text)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "hikyaku.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX((length(data) - length(replace(data, $t, ''))) / length($t)), 0) FROM hk_events";
        command.Parameters.AddWithValue("$t", text);
        return (long)command.ExecuteScalar()!;
    }
}
