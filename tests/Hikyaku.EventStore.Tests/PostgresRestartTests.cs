using Hikyaku.EventStore.Postgres;
using Hikyaku.EventStore.Tests.Contract;
using Hikyaku.Testing;
using Npgsql;

namespace Hikyaku.EventStore.Tests;

/// <summary>PostgreSQL going away and coming back, on a server of its own so other tests keep theirs.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRestartTests : IAsyncLifetime
{
    private TempPostgres _server = null!;
    private PostgresEventStore _store = null!;

    public async Task InitializeAsync()
    {
        _server = await TempPostgres.StartAsync();
        _store = new PostgresEventStore(await _server.CreateDatabaseAsync("restart"), new EventStoreOptions());
        await _store.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();

        // Stop only: TempPostgres deletes its folder itself at process exit, and fails there if it is already gone.
        _server.Stop();
    }

    [Fact]
    public async Task Appends_fail_while_the_database_is_down_then_succeed_and_a_landed_retry_is_recognised()
    {
        var landed = new AppendRequest(TestEvents.NewStream(), 0, TestEvents.Some(2));
        await _store.AppendAsync(landed);

        _server.Stop();
        var whileDown = new AppendRequest(TestEvents.NewStream(), 0, TestEvents.Some(1));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => _store.AppendAsync(whileDown));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => _store.AppendAsync(whileDown));
        await _server.RestartAsync();

        // As Orleans would: the failed append again, and the one that had landed as if its reply was lost.
        Assert.Equal(new AppendResult(AppendStatus.Appended, 1), await _store.AppendAsync(whileDown));
        Assert.Equal(new AppendResult(AppendStatus.AlreadyAppended, 2), await _store.AppendAsync(landed));
        Assert.Equal(2, (await _store.ReadStreamAsync(landed.StreamId)).Count);
    }
}
