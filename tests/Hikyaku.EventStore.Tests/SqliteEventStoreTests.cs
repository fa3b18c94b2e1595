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
