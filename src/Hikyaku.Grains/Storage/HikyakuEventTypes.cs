using Hikyaku.Contracts.Events;
using Hikyaku.EventStore.Serialization;

namespace Hikyaku.Grains.Storage;

/// <summary>Builds the event type registry from <see cref="EventTypes.All"/>, with the upcasters of old shapes.</summary>
public static class HikyakuEventTypes
{
    public static EventTypeRegistry CreateRegistry()
    {
        var registry = new EventTypeRegistry();
        foreach (var (name, type) in EventTypes.All)
        {
            registry.Register(type, name);
        }

        return registry;
    }
}
