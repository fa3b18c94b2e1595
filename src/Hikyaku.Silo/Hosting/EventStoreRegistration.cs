using Hikyaku.EventStore;
using Hikyaku.EventStore.Postgres;
using Hikyaku.EventStore.Sqlite;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Silo.Hosting;

/// <summary>Chooses the event store backend from <see cref="HikyakuOptions.Storage"/>.</summary>
public static class EventStoreRegistration
{
    public static IServiceCollection AddHikyakuEventStore(this IServiceCollection services, HikyakuOptions options, string? postgres) =>
        services.AddHikyakuEventSourcing(sp => options.Storage switch
        {
            StorageKind.Postgres => new PostgresEventStore(
                postgres!,
                sp.GetRequiredService<EventStoreOptions>(),
                sp.GetRequiredService<ILogger<PostgresEventStore>>()),
            _ => new SqliteEventStore(
                Path.GetFullPath(Path.Combine(options.DataDir, "hikyaku.db")),
                sp.GetRequiredService<EventStoreOptions>(),
                sp.GetRequiredService<ILogger<SqliteEventStore>>()),
        });
}
