using Hikyaku.EventStore.GroupCommit;
using Hikyaku.EventStore.Postgres;
using Hikyaku.EventStore.Tests.Contract;
using Hikyaku.Testing;

namespace Hikyaku.EventStore.Tests;

/// <summary>The contract on PostgreSQL, one fresh database per test on the shared throwaway server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresEventStoreTests : EventStoreContract
{
    private string? _connectionString;

    protected override async Task<GroupCommitEventStore> CreateStoreAsync(EventStoreOptions options)
    {
        _connectionString ??= await (await TempPostgres.SharedAsync()).CreateDatabaseAsync("es");
        return new PostgresEventStore(_connectionString, options);
    }

    [Fact]
    public async Task Silos_initializing_the_schema_at_once_do_not_collide()
    {
        var silos = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => CreateStoreAsync(new EventStoreOptions())));
        try
        {
            await Task.WhenAll(silos.Select(s => s.InitializeAsync()));
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresCollection
{
    public const string Name = "postgres";
}
