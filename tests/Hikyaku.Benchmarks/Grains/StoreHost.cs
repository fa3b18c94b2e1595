using Hikyaku.EventStore;
using Hikyaku.EventStore.Postgres;
using Hikyaku.EventStore.Sqlite;
using Hikyaku.Testing;

namespace Hikyaku.Benchmarks.Grains;

/// <summary>An event store for a benchmark run: a throwaway PostgreSQL (fsync on), a temp SQLite file, none (commit-free), or immediate (no batcher).</summary>
public sealed class StoreHost : IAsyncDisposable
{
    private readonly TempPostgres? _postgres;
    private readonly string? _file;

    private StoreHost(IEventStore store, TempPostgres? postgres, string? file)
    {
        Store = store;
        _postgres = postgres;
        _file = file;
    }

    public IEventStore Store { get; }

    /// <summary>The PostgreSQL data folder, for CPU accounting of the server; null for the other backends.</summary>
    public string? PostgresDataDir => _postgres?.DataDir;

    public static async Task<StoreHost> StartAsync(string backend)
    {
        if (backend == "immediate")
        {
            return new StoreHost(new ImmediateStore(), null, null);
        }

        if (backend == "none")
        {
            return new StoreHost(new CommitFreeStore(), null, null);
        }

        if (backend == "sqlite")
        {
            var file = Path.Combine(Path.GetTempPath(), $"hikyaku-bench-{Guid.NewGuid():N}.db");
            return new StoreHost(new SqliteEventStore(file, new EventStoreOptions()), null, file);
        }

        var pg = await TempPostgres.StartAsync(fsync: true);
        var store = new PostgresEventStore(await pg.CreateDatabaseAsync("bench"), new EventStoreOptions());
        return new StoreHost(store, pg, null);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_file is not null)
        {
            File.Delete(_file);
        }
    }
}
