using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hikyaku.EventStore.Serialization;

/// <summary>
/// Turns event objects into <see cref="EventData"/> (stable type name + camelCase JSON) and stored
/// events back into objects, upcasting old shapes on the way. A property added to an event type
/// reads as its default from JSON written before it existed.
/// </summary>
public sealed class EventSerializer
{
    private readonly EventTypeRegistry _registry;
    private readonly JsonSerializerOptions _json;

    public EventSerializer(EventTypeRegistry registry, JsonSerializerOptions? json = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
        _json = json ?? DefaultJsonOptions;
    }

    /// <summary>camelCase, case-insensitive reads, numbers only as numbers (System.Text.Json web defaults).</summary>
    public static JsonSerializerOptions DefaultJsonOptions { get; } = new(JsonSerializerDefaults.Web);

    /// <param name="eventId">The id that makes a retried append recognisable; a new one when omitted.</param>
    public EventData ToEventData(object @event, DateTimeOffset at, Guid? eventId = null)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var type = @event.GetType();
        var name = _registry.NameOf(type);

        // Version 7 ids grow with time, so PostgreSQL's unique index on them appends instead of splitting pages.
        return new EventData(eventId ?? Guid.CreateVersion7(at), name, JsonSerializer.Serialize(@event, type, _json), at);
    }

    public object FromStored(StoredEvent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return Deserialize(stored.Type, stored.Json);
    }

    /// <summary>Reads a payload stored under <paramref name="typeName"/>, upcasting it if that name is an old shape.</summary>
    public object Deserialize(string typeName, string json)
    {
        if (!_registry.HasUpcaster(typeName))
        {
            return JsonSerializer.Deserialize(json, _registry.TypeOf(typeName), _json)
                ?? throw new JsonException($"Event '{typeName}' has a null payload.");
        }

        var node = JsonNode.Parse(json) ?? throw new JsonException($"Event '{typeName}' has a null payload.");
        var (type, upcast) = _registry.Upcast(typeName, node);
        return upcast.Deserialize(type, _json) ?? throw new JsonException($"Event '{typeName}' upcast to a null payload.");
    }

    /// <summary>Snapshot of a grain state under a stable state name (like event names, never the CLR name).</summary>
    public Snapshot ToSnapshot<TState>(string streamId, int version, string stateName, TState state) =>
        new(streamId, version, stateName, JsonSerializer.Serialize(state, _json));

    public TState FromSnapshot<TState>(Snapshot snapshot) =>
        JsonSerializer.Deserialize<TState>(snapshot.Json, _json) ?? throw new JsonException($"Snapshot of {snapshot.StreamId} is null.");
}
