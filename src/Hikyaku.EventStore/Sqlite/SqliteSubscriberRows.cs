using Microsoft.Data.Sqlite;

namespace Hikyaku.EventStore.Sqlite;

/// <summary>Binds and reads <see cref="SubscriberRow"/>s in the column order of <see cref="SqliteSchema.UpsertSubscriber"/>.</summary>
internal static class SqliteSubscriberRows
{
    public const string Columns = "tenant_id, magazine_id, email, domain, status, status_reason, subscribed_at, updated_at, last_reply, stream_version, step_story, step_due_at";

    public static SqliteCommand CreateUpsert(SqliteConnection connection, string sql = SqliteSchema.UpsertSubscriber)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var name in (string[])["$tenant", "$magazine", "$email", "$domain", "$status", "$reason", "$subscribedAt", "$updatedAt", "$lastReply", "$version", "$stepStory", "$stepDueAt"])
        {
            cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return cmd;
    }

    public static void Bind(SqliteCommand upsert, SubscriberRow row)
    {
        var p = upsert.Parameters;
        p[0].Value = row.TenantId;
        p[1].Value = row.MagazineId;
        p[2].Value = row.Email;
        p[3].Value = row.Domain;
        p[4].Value = row.Status;
        p[5].Value = (object?)row.StatusReason ?? DBNull.Value;
        p[6].Value = StoredTime.ToText(row.SubscribedAt);
        p[7].Value = StoredTime.ToText(row.UpdatedAt);
        p[8].Value = (object?)row.LastReply ?? DBNull.Value;
        p[9].Value = row.StreamVersion;
        p[10].Value = (object?)row.StepStory ?? DBNull.Value;
        p[11].Value = row.StepDueAt is { } due ? StoredTime.ToText(due) : DBNull.Value;
    }

    public static SubscriberRow Read(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.GetString(3),
        r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5),
        StoredTime.FromText(r.GetString(6)),
        StoredTime.FromText(r.GetString(7)),
        r.IsDBNull(8) ? null : r.GetString(8),
        r.GetInt32(9),
        r.IsDBNull(10) ? null : r.GetString(10),
        r.IsDBNull(11) ? null : StoredTime.FromText(r.GetString(11)));
}
