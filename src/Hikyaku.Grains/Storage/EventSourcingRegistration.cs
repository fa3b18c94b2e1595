using Hikyaku.EventStore;
using Hikyaku.EventStore.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hikyaku.Grains.Storage;

/// <summary>Registers an event store and what the event-sourced grains need from the host.</summary>
public static class EventSourcingRegistration
{
    /// <param name="storeFactory">Creates the store (SQLite, PostgreSQL, or a test decorator).</param>
    public static IServiceCollection AddHikyakuEventSourcing(this IServiceCollection services, Func<IServiceProvider, IEventStore> storeFactory, EventStoreOptions? options = null)
    {
        var storeOptions = options ?? new EventStoreOptions();
        storeOptions.Validate();
        services.AddSingleton(storeOptions);
        services.AddSingleton(_ => new EventSerializer(HikyakuEventTypes.CreateRegistry(), StoredJson.Options));
        services.AddSingleton(storeFactory);
        services.AddSingleton<EventSourcingServices>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Steps.StepSequences>();

        // Registered before the silo, so the tables exist before any grain reads (hosted services start in order).
        services.AddHostedService<EventStoreInitializer>();
        return services;
    }

    private sealed class EventStoreInitializer(IEventStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
