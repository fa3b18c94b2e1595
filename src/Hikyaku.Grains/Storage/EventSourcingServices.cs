using Hikyaku.EventStore;
using Hikyaku.EventStore.Serialization;
using Microsoft.Extensions.Logging;

namespace Hikyaku.Grains.Storage;

/// <summary>What every event-sourced grain needs from the host, injected as one service.</summary>
public sealed class EventSourcingServices(
    IEventStore store,
    EventSerializer serializer,
    EventStoreOptions options,
    TimeProvider time,
    ILoggerFactory loggerFactory)
{
    public IEventStore Store { get; } = store;

    public EventSerializer Serializer { get; } = serializer;

    public EventStoreOptions Options { get; } = options;

    public TimeProvider Time { get; } = time;

    public ILoggerFactory LoggerFactory { get; } = loggerFactory;
}
