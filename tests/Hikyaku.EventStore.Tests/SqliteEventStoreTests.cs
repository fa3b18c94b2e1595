using Hikyaku.EventStore.GroupCommit;
using Hikyaku.EventStore.Sqlite;
using Hikyaku.EventStore.Tests.Contract;

namespace Hikyaku.EventStore.Tests;

/// <summary>The contract on SQLite, one temp file per test.</summary>
public sealed class SqliteEventStoreTests : EventStoreContract, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hikyaku-es-" + Guid.NewGuid().ToString("N")[..12]);

    protected override Task<GroupCommitEventStore> CreateStoreAsync(EventStoreOptions options) =>
        Task.FromResult<GroupCommitEventStore>(new SqliteEventStore(Path.Combine(_folder, "data", "hikyaku.db"), options));

    [Fact]
    public async Task Database_file_is_created_in_wal_mode_where_the_path_says()
    {
        await Store.AppendAsync(new AppendRequest(TestEvents.NewStream(), 0, TestEvents.Some(1)));

        Assert.True(File.Exists(Path.Combine(_folder, "data", "hikyaku.db")));
        Assert.True(File.Exists(Path.Combine(_folder, "data", "hikyaku.db-wal")));
    }

    [Fact]
    public async Task A_subscriber_table_from_before_step_mail_gets_the_step_columns_and_keeps_its_rows()
    {
        var path = Path.Combine(_folder, "old", "hikyaku.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await old.OpenAsync();
            await using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE hk_subscribers (tenant_id TEXT NOT NULL, magazine_id TEXT NOT NULL, email TEXT NOT NULL, domain TEXT NOT NULL,
                    status TEXT NOT NULL, status_reason TEXT, subscribed_at TEXT NOT NULL, updated_at TEXT NOT NULL, last_reply TEXT,
                    stream_version INTEGER NOT NULL, PRIMARY KEY (tenant_id, magazine_id, email)) WITHOUT ROWID;
                INSERT INTO hk_subscribers VALUES ('tenant-a', 'weekly', 'kept@x.jp', 'x.jp', 'active', NULL, '2026-12-01T00:00:00.000000Z', '2026-12-01T00:00:00.000000Z', NULL, 1);
                """;
            await create.ExecuteNonQueryAsync();
        }

        await using var store = new SqliteEventStore(path, new EventStoreOptions());
        await store.InitializeAsync();
        await store.InitializeAsync(); // the next start finds the columns there

        var kept = await store.Subscribers.GetAsync("tenant-a", "weekly", "kept@x.jp");
        Assert.Equal(("active", null, null), (kept!.Status, kept.StepStory, kept.StepDueAt));
        var due = new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
        await store.Subscribers.UpsertAsync(kept with { StepStory = "welcome", StepDueAt = due });
        Assert.Equal(["welcome"], (await store.Subscribers.DueStepsAsync("tenant-a", "weekly", due, null, null, 10)).Select(r => r.StepStory));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // a reader connection still open on a slow machine; the temp folder is left for the OS
        }
    }
}
