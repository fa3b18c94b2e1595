using Hikyaku.EventStore;
using Hikyaku.EventStore.Sqlite;
using Hikyaku.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Hikyaku.Grains.Tests;

/// <summary>
/// One in-process silo whose grains store their events in a real SQLite event store (wrapped to inject
/// faults), with time from one <see cref="FakeTimeProvider"/>. Statics, because the test cluster builds the
/// silo's own service container.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int SnapshotEvery = 50;
    private static readonly string DbPath = Path.Combine(Path.GetTempPath(), $"hikyaku-grains-{Guid.NewGuid():N}.db");

    public static FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero));

    public static FaultyStore Store { get; } = new(new SqliteEventStore(DbPath, new EventStoreOptions { SnapshotEvery = SnapshotEvery }));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddCustomStorageBasedLogConsistencyProvider(EventSourcedGrain<Domain.Readers.ReaderState, Contracts.Events.ReaderEvent>.ProviderName);
            silo.UseInMemoryReminderService();
            silo.Services.AddHikyakuEventSourcing(_ => Store, new EventStoreOptions { SnapshotEvery = SnapshotEvery });
            silo.Services.AddSingleton<TimeProvider>(Time);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        File.Delete(DbPath);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "grain cluster";
}
